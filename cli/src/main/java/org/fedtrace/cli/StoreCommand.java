package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.store.sql.SqlStore;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.store.sql.StoreCopy;
import org.fedtrace.tlog.LogStore;
import org.fedtrace.tlog.MerkleHashes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace store}: work on a node's store while the node is stopped. */
@Command(
    name = "store",
    mixinStandardHelpOptions = true,
    description = "Work on a node's store (stop the node first).",
    subcommands = {StoreCommand.Migrate.class})
public final class StoreCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** Exit status when the copy finished but its transparency log does not verify. */
  static final int EXIT_UNVERIFIED = 3;

  /** {@code fedtrace store migrate}: copy a store to another engine and verify its log. */
  @Command(
      name = "migrate",
      mixinStandardHelpOptions = true,
      description = {
        "Copy a node's whole store to another engine: batches with their positions, peer",
        "cursors, uploads, notices, operator matching's tables and the transparency log, and the",
        "store's epoch, so that cursors peers hold stay valid. Then recompute the log's root from",
        "the copied entries and check it against the signed checkpoint.",
        "",
        "Stop the node first. A SQLite source is brought to this version's schema first. The",
        "target must be empty (a new database: the copy creates the tables); a failed copy",
        "leaves it empty. Afterwards set store.kind and store.url in",
        "node.yaml and start the node on the target.",
        "",
        "Example: fedtrace store migrate --from data --to jdbc:postgresql://db:5432/fedtrace \\",
        "           --user fedtrace --password-file db.secret"
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:copied, and the log's root matches its checkpoint",
        "1:a store cannot be opened, or the target is not empty",
        "2:bad option value",
        "3:copied, but the log's root does not match its checkpoint"
      })
  static final class Migrate implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--from",
        required = true,
        paramLabel = "STORE",
        description =
            "The store to copy: a node's data folder (SQLite, holding fedtrace.db) or a"
                + " jdbc:postgresql://host:port/database URL.")
    String from;

    @Option(
        names = "--to",
        required = true,
        paramLabel = "STORE",
        description = "Where to copy it: a data folder or a jdbc:postgresql:// URL, empty.")
    String to;

    @Option(
        names = "--user",
        paramLabel = "ROLE",
        description = "The PostgreSQL role to log in as (for either side).")
    String user = "";

    @Option(
        names = "--password-file",
        paramLabel = "FILE",
        description = "A file holding the PostgreSQL role's password.")
    Path passwordFile;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      if (from.equals(to)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--from and --to name the same store");
      }
      String password = password();
      try (SqlStore source = open(from, password, false);
          SqlStore target = open(to, password, true)) {
        if (source.read(tx -> tx.batches().recordCount() == 0 && tx.log().size() == 0)) {
          throw new UserError(
              "the store at " + from + " holds no batch and no log entry: nothing to migrate");
        }
        Map<String, Long> copied =
            StoreCopy.copy(
                source,
                target,
                (table, rows) -> {
                  if (rows > 0 && rows % 100_000 == 0) {
                    out.printf("  %s: %,d rows%n", table, rows);
                    out.flush();
                  }
                });
        copied.forEach((table, rows) -> out.printf("copied %-22s %,d rows%n", table, rows));
        return verify(source, target, out);
      } catch (StoreException e) {
        throw new UserError(e.getMessage());
      }
    }

    private String password() {
      if (passwordFile == null) {
        return "";
      }
      try {
        return Files.readString(passwordFile).strip();
      } catch (IOException e) {
        throw new UserError("cannot read the password file " + passwordFile + ": " + e);
      }
    }

    private SqlStore open(String store, String password, boolean create) {
      if (store.startsWith("jdbc:")) {
        return PostgresStore.open(new PostgresStore.Options(store, user, password, 4));
      }
      Path dir = Path.of(store);
      if (!create && !Files.isRegularFile(dir.resolve("fedtrace.db"))) {
        throw new UserError("there is no store at " + dir.resolve("fedtrace.db"));
      }
      return SqliteStore.open(dir);
    }

    /** Recomputes the copied log's root from its entries; checks it against the checkpoint. */
    private int verify(SqlStore source, SqlStore target, PrintWriter out) {
      Optional<Checkpoint> signed = source.read(tx -> tx.log().latestCheckpoint());
      Optional<Checkpoint> copied = target.read(tx -> tx.log().latestCheckpoint());
      if (!signed.equals(copied)) {
        out.println("log NOT verified: the target's checkpoint differs from the source's");
        return EXIT_UNVERIFIED;
      }
      if (signed.isEmpty()) {
        out.println("log verified: empty, no checkpoint signed yet");
        return 0;
      }
      long size = signed.get().getTreeSize();
      byte[] root = root(target, size);
      byte[] expected = signed.get().getRootHash().toByteArray();
      String hex = HexFormat.of().formatHex(root);
      if (!java.util.Arrays.equals(root, expected)) {
        out.printf(
            "log NOT verified: the copied entries hash to %s, the checkpoint says %s%n",
            hex, HexFormat.of().formatHex(expected));
        return EXIT_UNVERIFIED;
      }
      out.printf(
          "log verified: %,d entries hash to root %s, as the signed checkpoint says%n", size, hex);
      return 0;
    }

    /** The RFC 6962 root of the first {@code size} leaves of {@code store}'s log, streamed. */
    static byte[] root(SqlStore store, long size) {
      if (size == 0) {
        return MerkleHashes.emptyRoot();
      }
      // one hash per complete subtree so far, largest first: at most 64
      Deque<byte[]> hashes = new ArrayDeque<>();
      Deque<Long> sizes = new ArrayDeque<>();
      for (long from = 0; from < size; from += 10_000) {
        long start = from;
        long end = Math.min(size, start + 10_000);
        List<LogStore.Leaf> leaves = store.read(tx -> tx.log().leaves(start, end));
        for (LogStore.Leaf leaf : leaves) {
          byte[] h = MerkleHashes.leafHash(leaf.bytes());
          long s = 1;
          while (!sizes.isEmpty() && sizes.peekLast() == s) {
            h = MerkleHashes.nodeHash(hashes.pollLast(), h);
            s += sizes.pollLast();
          }
          hashes.addLast(h);
          sizes.addLast(s);
        }
      }
      byte[] r = hashes.pollLast();
      while (!hashes.isEmpty()) {
        r = MerkleHashes.nodeHash(hashes.pollLast(), r);
      }
      return r;
    }
  }
}

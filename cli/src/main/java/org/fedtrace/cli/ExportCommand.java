package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.export.ExportKeys;
import org.fedtrace.export.Exporter;
import org.fedtrace.node.NodeOrigin;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.Export;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.store.sql.SqliteStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace export}: write signed Exposure Notification key exports for phones. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write signed Exposure Notification key exports for phones.",
      "",
      "Writes the keys a node holds as the files phones download, into a directory a static",
      "web server or CDN serves as is (spec section 24, docs/export.md). One run publishes the",
      "hourly window that ended last, if no run did: a file per origin country and one of all",
      "origins (export.combinedRegion), the daily files of days that ended, and the indexes",
      "(index.txt). A key is released only",
      "export.delaySeconds after its validity ended; every file holds at least export.minKeys",
      "keys, padded with random keys shaped like the real ones.",
      "",
      "Reads the store of the node's configuration (a running SQLite node's too, read-only).",
      "A node with export.directory set keeps that directory current itself.",
      "",
      "The export-signing key (export.signingKey) is an ECDSA P-256 key of its own, not the",
      "batch-signing key; --generate-key makes one and writes its public key beside it",
      "(FILE.pub), to register with Apple and Google under export.keyId and export.keyVersion.",
      "",
      "Example: fedtrace export --config node.yaml --out /srv/www/exposure-keys"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:published (or nothing new: the last window ended is already published)",
      "1:the store, the signing key or the directory cannot be used",
      "2:bad option value or invalid configuration"
    })
final class ExportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node's configuration (node.yaml): its store and export section.")
  Path config;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "The export directory (default: export.directory of the configuration).")
  Path out;

  @Option(
      names = "--origin",
      paramLabel = "CC",
      description =
          "The node's origin (its country code, or its member origin), whose series also carries"
              + " the node's domestic-only keys (spec R25.14). Default: read from the node's"
              + " credentials and agreement.")
  String origin;

  @Option(
      names = "--generate-key",
      description =
          "Create the export-signing key at export.signingKey (and its public key, FILE.pub),"
              + " then stop; refuses to overwrite either.")
  boolean generateKey;

  @Override
  public Integer call() {
    NodeConfig c;
    try {
      c = NodeConfig.load(config);
    } catch (InvalidConfigException e) {
      throw new UserError(config + ": " + e.getMessage(), Fedtrace.EXIT_USAGE);
    }
    Export export = c.export();
    PrintWriter w = spec.commandLine().getOut();
    if (generateKey) {
      return generate(export.signingKey(), w);
    }
    Path dir = out != null ? out : export.directory();
    if (dir == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--out is required when the configuration sets no export.directory");
    }
    if (export.keyId().isEmpty()) {
      throw new UserError(
          config + ": export.keyId: required to export: phones find the verification key by it",
          Fedtrace.EXIT_USAGE);
    }
    GaenExportWriter writer;
    try {
      writer =
          new GaenExportWriter(
              new GaenExportWriter.SignatureInfo(export.keyId(), export.keyVersion()),
              ExportKeys.load(export.signingKey()));
    } catch (IOException e) {
      throw new UserError("export.signingKey: " + e.getMessage() + " (--generate-key makes one)");
    }
    String home = origin(c);
    try (Store store = open(c)) {
      Exporter.Result r =
          new Exporter(store, export.policy(), writer, dir, new SecureRandom(), home)
              .run(Instant.now().getEpochSecond());
      if (r.files() == 0) {
        w.println("nothing new: the last window that ended is already published in " + dir);
      } else {
        w.printf(
            "published %d files, %d keys, window ending %s, in %s%n",
            r.files(), r.keys(), Instant.ofEpochSecond(r.windowEnd()), dir);
      }
      w.flush();
      return 0;
    } catch (IOException e) {
      throw new UserError("cannot write the export directory " + dir + ": " + e.getMessage());
    } catch (StoreException e) {
      throw new UserError("store: " + e.getMessage());
    }
  }

  private static int generate(Path key, PrintWriter w) {
    try {
      ExportKeys.generate(key, new SecureRandom());
    } catch (java.nio.file.FileAlreadyExistsException e) {
      throw new UserError(e.getFile() + " exists; a key is never overwritten");
    } catch (IOException e) {
      throw new UserError("cannot write " + key + ": " + e.getMessage());
    }
    w.println("export-signing key written to " + key);
    w.println(
        "its public key (register it with Apple and Google): " + ExportKeys.publicKeyFile(key));
    w.flush();
    return 0;
  }

  /** The origin whose series gets the domestic-only keys: --origin, else the node's. */
  private String origin(NodeConfig c) {
    if (origin != null) {
      if (!origin.matches("[A-Z]{2}(-[A-Za-z0-9][A-Za-z0-9._-]{0,62})?")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--origin: expected a country code (DE) or a member origin (US-ny), got '"
                + origin
                + "'");
      }
      return origin;
    }
    try {
      return NodeOrigin.of(c, java.time.Clock.systemUTC());
    } catch (NodeStartException e) {
      throw new UserError(
          config
              + ": cannot tell the node's origin, whose series carries its domestic-only keys: "
              + e.getMessage()
              + " (or give --origin)",
          Fedtrace.EXIT_USAGE);
    }
  }

  private static Store open(NodeConfig c) {
    NodeConfig.StoreEngine e = c.store();
    if (e.kind() == NodeConfig.StoreKind.SQLITE) {
      if (!Files.isRegularFile(c.dataDir().resolve("fedtrace.db"))) {
        throw new UserError("there is no store at " + c.dataDir().resolve("fedtrace.db"));
      }
      return SqliteStore.openReadOnly(c.dataDir());
    }
    String password = e.password();
    if (e.passwordFile() != null) {
      try {
        password = Files.readString(e.passwordFile()).strip();
      } catch (IOException x) {
        throw new UserError("store.passwordFile: cannot read " + e.passwordFile() + ": " + x);
      }
    }
    return PostgresStore.open(new PostgresStore.Options(e.url(), e.user(), password, 2));
  }
}

package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.fedtrace.node.Node;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace store migrate} on the store of a node that exchanged with a peer: SQLite to a
 * real PostgreSQL and back, the log's root checked each way; a damaged log and a target in use.
 */
class StoreCommandTest {
  private static final OperatorIdentity FR = OperatorIdentity.parse("FR/op-fr");

  @TempDir Path tmp;
  private Path data;

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }

  /** The data folder of a DE node that published its own batch and received one from FR. */
  @BeforeEach
  void aNodeThatExchanged() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(tmp.resolve("fed"), clock, "DE", "FR")) {
      f.startNode("FR");
      Node de = f.startNode("DE");
      f.follow("DE", "FR");
      TestBatches keys = new TestBatches(3, clock.instant());
      f.upload("FR", keys.keys(14, 13));
      f.upload("DE", keys.keys(14, 13));
      de.publishDue(true);
      f.await(
          Duration.ofSeconds(30),
          () -> de.store().read(tx -> tx.batches().ofOrigin("FR")).size() == 1,
          "FR's batch at DE");
      de.transparencyLog().checkpoint();
      data = f.dir("DE").resolve("data");
    }
  }

  private static Snapshot snapshot(Store s) {
    return new Snapshot(
        s.epoch(),
        s.read(tx -> tx.batches().ofOrigin("DE")),
        s.read(tx -> tx.batches().ofOrigin("FR")),
        s.read(tx -> tx.cursors().get(FR, PeerCursor.Direction.PULL).map(List::of).orElseThrow()),
        s.read(tx -> tx.log().latestCheckpoint().orElseThrow()),
        s.read(tx -> tx.batches().lastPosition()));
  }

  private record Snapshot(
      long epoch,
      List<StoredBatch> own,
      List<StoredBatch> foreign,
      List<byte[]> cursor,
      Checkpoint checkpoint,
      long lastPosition) {
    void assertSameAs(Snapshot o) {
      assertEquals(epoch, o.epoch, "epoch");
      assertEquals(positions(own), positions(o.own), "own batches");
      assertEquals(positions(foreign), positions(o.foreign), "received batches");
      assertEquals(
          own.stream().map(b -> b.contentSha256()).toList(),
          o.own.stream().map(b -> b.contentSha256()).toList());
      assertTrue(java.util.Arrays.equals(cursor.get(0), o.cursor.get(0)), "the cursor on FR");
      assertEquals(checkpoint, o.checkpoint, "checkpoint");
      assertEquals(lastPosition, o.lastPosition);
    }

    private static List<Long> positions(List<StoredBatch> b) {
      return b.stream().map(StoredBatch::position).toList();
    }
  }

  @Test
  void copiesToPostgresqlAndBackWithTheLogsRootChecked() {
    Snapshot before;
    try (Store s = SqliteStore.open(data)) {
      before = snapshot(s);
    }
    String url = TestPostgres.newDatabase();
    Run there =
        run("store", "migrate", "--from", data.toString(), "--to", url, "--user", "postgres");
    assertEquals(0, there.status, there.err);
    assertTrue(there.out.contains("log verified: "), there.out);
    assertTrue(there.out.contains("copied batch"), there.out);
    try (Store pg = PostgresStore.open(TestPostgres.options(url))) {
      before.assertSameAs(snapshot(pg));
    }

    Path back = tmp.resolve("back");
    Run again =
        run("store", "migrate", "--from", url, "--to", back.toString(), "--user", "postgres");
    assertEquals(0, again.status, again.err);
    try (Store s = SqliteStore.open(back)) {
      before.assertSameAs(snapshot(s));
    }

    Run occupied =
        run("store", "migrate", "--from", data.toString(), "--to", url, "--user", "postgres");
    assertEquals(1, occupied.status);
    assertEquals("fedtrace: the target store is not empty (table batch has rows)\n", occupied.err);
  }

  @Test
  void aLogWhoseEntriesNoLongerMatchItsCheckpointFailsTheCheck() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve("fedtrace.db"));
        PreparedStatement s =
            c.prepareStatement("UPDATE log_entry SET leaf = ? WHERE leaf_index = 0")) {
      s.setBytes(1, new byte[] {1, 2, 3});
      s.executeUpdate();
    }
    String url = TestPostgres.newDatabase();
    Run r = run("store", "migrate", "--from", data.toString(), "--to", url, "--user", "postgres");
    assertEquals(StoreCommand.EXIT_UNVERIFIED, r.status, r.out + r.err);
    assertTrue(r.out.contains("log NOT verified: the copied entries hash to "), r.out);
  }

  @Test
  void refusesAMissingSourceAndTheSameStoreTwice() {
    Run missing = run("store", "migrate", "--from", tmp.resolve("none").toString(), "--to", "x");
    assertEquals(1, missing.status);
    assertEquals(
        "fedtrace: there is no store at " + tmp.resolve("none").resolve("fedtrace.db") + "\n",
        missing.err);
    Run same = run("store", "migrate", "--from", "d", "--to", "d");
    assertEquals(2, same.status);
    assertTrue(same.err.startsWith("fedtrace: --from and --to name the same store"), same.err);
  }

  @Test
  void refusesASourceThatHoldsNothing() {
    String empty = TestPostgres.newDatabase(); // a mistyped database name, say
    Run r =
        run(
            "store",
            "migrate",
            "--from",
            empty,
            "--to",
            tmp.resolve("copy").toString(),
            "--user",
            "postgres");
    assertEquals(1, r.status);
    assertEquals(
        "fedtrace: the store at "
            + empty
            + " holds no batch and no log entry: nothing to migrate\n",
        r.err);
  }

  static Properties login() {
    Properties p = new Properties();
    p.setProperty("user", "postgres");
    return p;
  }
}

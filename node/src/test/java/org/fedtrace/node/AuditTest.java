package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.audit.ReportText;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit of spec/transparency.md §9 end to end: real nodes DE and FR over mutual TLS, FR
 * following DE; {@link Auditor} checks DE's log with FR as its peer. An honest exchange verifies
 * everywhere and DE's BATCH_SENT is matched by FR's BATCH_RECEIVED. Then DE's store is tampered
 * with while it is stopped: a changed leaf, or a changed stored hash the root is not computed from,
 * is not noticed by the node (it checks only the O(log n) stored hashes its checkpoint's root is
 * made of) but is reported by the audit; a changed hash the root is made of, or a lost entry, keeps
 * the node from starting (R13.9, R13.10); a store restored from a backup starts, and the audit that
 * kept a later checkpoint reports the rollback. The log survives restarts.
 */
class AuditTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DE_LOG = "fedtrace.v1/DE/op-de";

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(13, clock.instant());
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  private Auditor auditor() {
    return new Auditor(f.pki().validator(), clock, new Random(5));
  }

  /** DE's log as an auditor reads it, over mutual TLS with FR's credential. */
  private GrpcLogClient client(String country) throws IOException {
    return new GrpcLogClient(f.channel(country, f.credentials("FR").tls()), Duration.ofSeconds(10));
  }

  private OperatorIdentity identity(String country) {
    return f.credentials(country).identity();
  }

  /** Audits DE's log, every entry, with FR's log as its peer's when {@code withPeer}. */
  private AuditReport audit(AuditState state, boolean withPeer) throws IOException {
    GrpcLogClient fr = withPeer ? client("FR") : null;
    return auditor()
        .audit(
            identity("DE"),
            client("DE"),
            state,
            1000,
            p -> p.equals(identity("FR")) ? Optional.ofNullable(fr) : Optional.empty());
  }

  /**
   * Uploads three keys at DE and makes DE sign a batch of them at once (or finds that its
   * background batching, due a second after the upload, already did).
   */
  private void uploadAndPublish() throws IOException {
    int before = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).size();
    f.upload("DE", batches.keys(3, 3));
    f.node("DE").publishDue(true);
    assertEquals(before + 1, f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).size());
  }

  private Path store(String country) {
    return f.dir(country).resolve("data");
  }

  private void update(String country, String sql, Object... args) throws Exception {
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + store(country).resolve("fedtrace.db"));
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      assertEquals(1, s.executeUpdate(), sql);
    }
  }

  @Test
  void anHonestExchangeVerifiesAndATamperedStoreIsCaught() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    f.startNode("FR");
    uploadAndPublish();
    f.follow("FR", "DE");
    f.await(
        WAIT,
        () -> f.node("FR").store().read(tx -> tx.batches().ofOrigin("DE")).size() == 1,
        "FR holds DE's batch");

    Checkpoint signed = client("DE").checkpoint();
    List<LogEntry> de = client("DE").entries(0, signed.getTreeSize());
    assertEquals(
        List.of(
            EventType.EVENT_TYPE_UPLOAD_AUTHORIZED,
            EventType.EVENT_TYPE_BATCH_CREATED,
            EventType.EVENT_TYPE_BATCH_SENT),
        de.stream().map(LogEntry::getEventType).toList());
    LogEntry sent = de.get(2);
    String batch = ReportText.shortHex(sent.getSubjectSha256());
    AuditReport honest = audit(AuditState.empty(), true);
    assertEquals(List.of(), honest.texts(AuditReport.Kind.FAILED));
    List<String> verified = honest.texts(AuditReport.Kind.VERIFIED);
    assertTrue(
        verified.contains(
            "entry 2 of "
                + DE_LOG
                + " (BATCH_SENT batch "
                + batch
                + " to FR/op-fr): FR/op-fr recorded it as its entry 0 (BATCH_RECEIVED batch "
                + batch
                + " from DE/op-de)"),
        verified.toString());
    assertTrue(
        verified.contains(
            "fedtrace.v1/FR/op-fr: its signed tree rebuilt from the 1 entry it served"),
        verified.toString());

    // a changed leaf: the node cannot notice (its subtree hashes still give the signed root)
    f.stopNode("DE");
    LogEntry forged = sent.toBuilder().setKeyCount(sent.getKeyCount() + 1).build();
    update("DE", "UPDATE log_entry SET leaf = ? WHERE leaf_index = 2", LogEntries.encode(forged));
    f.startNode("DE");
    AuditReport tampered = audit(honest.state(), false);
    assertEquals(
        List.of(
            "entry 2 of "
                + DE_LOG
                + " (BATCH_SENT batch "
                + batch
                + " to FR/op-fr) is not in the signed tree: the audit path of leaf 2 leads to"
                + " another root than the tree's"),
        tampered.texts(AuditReport.Kind.FAILED));
    assertTrue(
        tampered
            .texts(AuditReport.Kind.VERIFIED)
            .contains(
                DE_LOG + ": consistent with the checkpoint of 3 entries kept from the last audit"));

    // a changed leaf hash that the root is not made of: still unnoticed by the node, whose proofs
    // of leaf 1 now fail at the auditor
    f.stopNode("DE");
    update("DE", "UPDATE log_node SET hash = zeroblob(32) WHERE level = 0 AND idx = 0");
    f.startNode("DE");
    List<String> failed = audit(honest.state(), false).texts(AuditReport.Kind.FAILED);
    assertEquals(2, failed.size(), failed.toString());
    assertTrue(
        failed
            .get(0)
            .startsWith(
                "entry 1 of "
                    + DE_LOG
                    + " (BATCH_CREATED batch "
                    + batch
                    + ") is not in the signed tree: "),
        failed.toString());

    // a changed hash of the subtree over leaves 0 and 1, which the root of 3 leaves is made of: the
    // stored tree no longer gives the signed root, and the node does not start (R13.9)
    f.stopNode("DE");
    update("DE", "UPDATE log_node SET hash = zeroblob(32) WHERE level = 1 AND idx = 0");
    NodeStartException refused = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
    assertEquals(
        "dataDir: the transparency log is damaged: the stored tree does not reproduce the root of"
            + " the checkpoint of size 3",
        refused.getMessage());
  }

  @Test
  void theLogSurvivesRestartsAndItsCheckpointNeverRollsBack() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    f.startNode("DE");
    uploadAndPublish();
    Checkpoint first = client("DE").checkpoint();
    final List<LogEntry> entries = client("DE").entries(0, first.getTreeSize());
    AuditReport initial = audit(AuditState.empty(), false);
    assertEquals(List.of(), initial.texts(AuditReport.Kind.FAILED));

    f.stopNode("DE");
    Path backup = dir.resolve("backup");
    copy(store("DE"), backup);
    f.startNode("DE");
    Checkpoint restarted = client("DE").checkpoint();
    assertEquals(first.getTreeSize(), restarted.getTreeSize());
    assertEquals(first.getRootHash(), restarted.getRootHash());
    assertTrue(restarted.getTimeUnixMillis() >= first.getTimeUnixMillis());
    assertEquals(entries, client("DE").entries(0, first.getTreeSize()));

    uploadAndPublish();
    Checkpoint grown = client("DE").checkpoint();
    assertEquals(first.getTreeSize() + 2, grown.getTreeSize());
    MerkleVerifier.verifyConsistency(
        first.getTreeSize(),
        grown.getTreeSize(),
        first.getRootHash().toByteArray(),
        grown.getRootHash().toByteArray(),
        client("DE").consistencyProof(first.getTreeSize(), grown.getTreeSize()));
    AuditReport later = audit(initial.state(), false);
    assertEquals(List.of(), later.texts(AuditReport.Kind.FAILED));
    assertEquals(4, later.state().seen(DE_LOG).orElseThrow().treeSize());

    // the node itself refuses a tree smaller than its checkpoint
    f.stopNode("DE");
    update("DE", "DELETE FROM log_entry WHERE leaf_index = 3");
    NodeStartException refused = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
    assertEquals(
        "dataDir: the transparency log is damaged: the log holds 3 entries but its latest"
            + " checkpoint covers 4; refusing to sign a smaller tree",
        refused.getMessage());

    // a store restored from a backup starts (it cannot know), and the audit reports the rollback
    delete(store("DE"));
    copy(backup, store("DE"));
    f.startNode("DE");
    AuditReport rolledBack = audit(later.state(), false);
    assertEquals(
        List.of(
            DE_LOG
                + " rolled back: its checkpoint has 2 entries, fewer than the checkpoint of 4"
                + " entries kept from the last audit"),
        rolledBack.texts(AuditReport.Kind.FAILED));
    assertEquals(4, rolledBack.state().seen(DE_LOG).orElseThrow().treeSize());
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
  }

  private static void delete(Path folder) throws IOException {
    try (Stream<Path> files = Files.walk(folder)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}

package org.fedtrace.audit;

import static org.fedtrace.testing.TestLogs.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit logic against logs that behave and logs that do not: a tampered entry, a rolled-back
 * log, a forked log, a bad signature, and deliveries the peer does not confirm.
 */
class AuditorTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private TransparencyLog fr;
  private final Map<OperatorIdentity, LogClient> peers = new HashMap<>();
  private Auditor auditor;

  @BeforeEach
  void open() {
    logs = new TestLogs(tmp, "DE", "FR", "IT");
    de = logs.log("DE");
    fr = logs.log("FR");
    auditor = new Auditor(logs.pki.validator(), logs.clock, new Random(7));
  }

  @AfterEach
  void close() {
    logs.close();
  }

  /** DE creates and sends b1 and b2 to FR, and receives f1 from FR: 5 + 3 entries. */
  private void exchange(TransparencyLog de, TransparencyLog fr) {
    logs.record(de, Event.UPLOAD_AUTHORIZED, batch("authorization"), "DE", "", 3, "");
    logs.record(de, Event.BATCH_CREATED, batch("b1"), "DE", "", 100, "");
    logs.delivered(de, fr, "b1", "DE", 100);
    logs.record(de, Event.BATCH_CREATED, batch("b2"), "DE", "", 100, "");
    logs.delivered(de, fr, "b2", "DE", 100);
    logs.record(fr, Event.BATCH_CREATED, batch("f1"), "FR", "", 64, "");
    logs.delivered(fr, de, "f1", "FR", 64);
  }

  private AuditReport audit(TransparencyLog log, AuditState state) {
    return audit(log, state, 64);
  }

  private AuditReport audit(TransparencyLog log, AuditState state, int sample) {
    OperatorIdentity target = logs.identity(log.origin().substring(12, 14));
    return auditor.audit(
        target, new DirectLogClient(log), state, sample, p -> Optional.ofNullable(peers.get(p)));
  }

  @Test
  void anHonestExchangeVerifiesEverywhere() {
    exchange(de, fr);
    peers.put(logs.identity("FR"), new DirectLogClient(fr));
    AuditReport r = audit(de, AuditState.empty());
    assertEquals(List.of(), r.texts(AuditReport.Kind.FAILED));
    assertTrue(r.passed());
    List<String> verified = r.texts(AuditReport.Kind.VERIFIED);
    assertTrue(
        verified
            .get(0)
            .startsWith(
                "the checkpoint of fedtrace.v1/DE/op-de (6 entries): signature"
                    + " of DE/op-de verifies; root "),
        verified.get(0));
    assertTrue(
        verified.contains(
            "entry 2 of fedtrace.v1/DE/op-de (BATCH_SENT batch "
                + TestLogs.shortHex("b1")
                + " to FR/op-fr): included in the tree of 6 entries"),
        verified.toString());
    assertTrue(
        verified.contains(
            "entry 2 of fedtrace.v1/DE/op-de (BATCH_SENT batch "
                + TestLogs.shortHex("b1")
                + " to FR/op-fr): FR/op-fr recorded it as its entry 0 (BATCH_RECEIVED batch "
                + TestLogs.shortHex("b1")
                + " from DE/op-de)"),
        verified.toString());
    assertTrue(
        verified.contains(
            "fedtrace.v1/FR/op-fr: its signed tree rebuilt from the 4 entries it served"));
    assertEquals(
        List.of(
            "no earlier checkpoint of fedtrace.v1/DE/op-de is kept; this one is now",
            "no earlier checkpoint of fedtrace.v1/FR/op-fr is kept; this one is now"),
        r.texts(AuditReport.Kind.SKIPPED));
    assertEquals(6, r.state().seen("fedtrace.v1/DE/op-de").orElseThrow().treeSize());
    assertEquals(4, r.state().seen("fedtrace.v1/FR/op-fr").orElseThrow().treeSize());
    assertEquals("DE/op-de", r.state().target());

    logs.record(de, Event.BATCH_CREATED, batch("b3"), "DE", "", 100, "");
    AuditReport again = audit(de, r.state());
    assertTrue(again.passed(), again.texts(AuditReport.Kind.FAILED).toString());
    assertTrue(
        again
            .texts(AuditReport.Kind.VERIFIED)
            .contains(
                "fedtrace.v1/DE/op-de: consistent with the checkpoint of 6 entries kept from the"
                    + " last audit"));
  }

  @Test
  void aTamperedEntryIsNotInTheSignedTree() throws Exception {
    exchange(de, fr);
    Checkpoint signed = de.checkpoint();
    LogEntry original = de.entries(2, 3).get(0);
    LogEntry forged = original.toBuilder().setPeer("IT/op-it").build();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + logs.file("DE"));
        PreparedStatement s =
            c.prepareStatement("UPDATE log_entry SET leaf = ? WHERE leaf_index = 2")) {
      s.setBytes(1, LogEntries.encode(forged));
      s.executeUpdate();
    }
    AuditReport r = audit(de, AuditState.empty());
    assertFalse(r.passed());
    assertEquals(signed, de.checkpoint());
    assertEquals(
        List.of(
            "entry 2 of fedtrace.v1/DE/op-de (BATCH_SENT batch "
                + TestLogs.shortHex("b1")
                + " to IT/op-it) is not in the signed tree: the audit path of leaf 2 leads to"
                + " another root than the tree's"),
        r.texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aRolledBackLogIsDetected() {
    exchange(de, fr);
    AuditState state = audit(de, AuditState.empty()).state();
    TransparencyLog older = logs.log("DE", logs.database("DE-older"));
    logs.record(older, Event.UPLOAD_AUTHORIZED, batch("authorization"), "DE", "", 3, "");
    logs.record(older, Event.BATCH_CREATED, batch("b1"), "DE", "", 100, "");
    logs.clock.advance(Duration.ofMinutes(1));
    AuditReport r = audit(older, state);
    assertEquals(
        List.of(
            "fedtrace.v1/DE/op-de rolled back: its checkpoint has 2 entries, fewer than the"
                + " checkpoint of 6 entries kept from the last audit"),
        r.texts(AuditReport.Kind.FAILED));
    assertEquals(6, r.state().seen("fedtrace.v1/DE/op-de").orElseThrow().treeSize());
  }

  @Test
  void aForkedLogIsDetectedAndTheOldCheckpointKept() {
    exchange(de, fr);
    AuditState state = audit(de, AuditState.empty()).state();
    TransparencyLog fork = logs.log("DE", logs.database("DE-fork"));
    logs.record(fork, Event.UPLOAD_AUTHORIZED, batch("authorization"), "DE", "", 3, "");
    for (int i = 0; i < 8; i++) {
      logs.record(fork, Event.BATCH_CREATED, batch("rewritten " + i), "DE", "", 100, "");
    }
    logs.clock.advance(Duration.ofMinutes(1));
    AuditReport r = audit(fork, state);
    assertEquals(
        List.of(
            "fedtrace.v1/DE/op-de forked: its checkpoint of 9 entries is not consistent with the"
                + " checkpoint of 6 entries kept from the last audit: the consistency proof does"
                + " not lead to the root of the 6-leaf tree"),
        r.texts(AuditReport.Kind.FAILED));
    assertEquals(6, r.state().seen("fedtrace.v1/DE/op-de").orElseThrow().treeSize());
  }

  @Test
  void aSameSizeFork() {
    exchange(de, fr);
    AuditState state = audit(de, AuditState.empty()).state();
    TransparencyLog fork = logs.log("DE", logs.database("DE-fork"));
    for (int i = 0; i < 6; i++) {
      logs.record(fork, Event.BATCH_CREATED, batch("other " + i), "DE", "", 100, "");
    }
    logs.clock.advance(Duration.ofMinutes(1));
    assertEquals(
        List.of(
            "fedtrace.v1/DE/op-de forked: its checkpoint of 6 entries is not consistent with the"
                + " checkpoint of 6 entries kept from the last audit: two trees of 6 leaves have"
                + " different roots"),
        audit(fork, state).texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aCheckpointWhoseSignatureDoesNotVerifyStopsTheAudit() {
    exchange(de, fr);
    LogClient lying =
        new DirectLogClient(de) {
          @Override
          public Checkpoint checkpoint() {
            Checkpoint c = super.checkpoint();
            return c.toBuilder().setTreeSize(c.getTreeSize() - 1).build();
          }
        };
    AuditReport r =
        auditor.audit(logs.identity("DE"), lying, AuditState.empty(), 64, p -> Optional.empty());
    assertEquals(
        List.of(
            "the checkpoint of fedtrace.v1/DE/op-de (5 entries) has a signature that does not"
                + " verify: the signature does not verify"),
        r.texts(AuditReport.Kind.FAILED));
    assertEquals(List.of(), r.texts(AuditReport.Kind.VERIFIED));
  }

  @Test
  void anotherMembersLogIsNotTheTargets() {
    exchange(de, fr);
    AuditReport r =
        auditor.audit(
            logs.identity("DE"),
            new DirectLogClient(fr),
            AuditState.empty(),
            64,
            p -> Optional.empty());
    assertEquals(
        List.of(
            "the checkpoint of fedtrace.v1/DE/op-de (4 entries) names the log"
                + " fedtrace.v1/FR/op-fr"),
        r.texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aStaleCheckpointFails() {
    exchange(de, fr);
    de.checkpoint();
    Auditor late =
        new Auditor(
            logs.pki.validator(),
            new TestLogs.SettableClock(TestLogs.START.plus(Duration.ofMinutes(11))),
            new Random(1));
    AuditReport r =
        late.audit(
            logs.identity("DE"),
            new DirectLogClient(de) {
              private final Checkpoint frozen = de.checkpoint();

              @Override
              public Checkpoint checkpoint() {
                return frozen;
              }
            },
            AuditState.empty(),
            0,
            p -> Optional.empty());
    assertEquals(
        List.of(
            "the checkpoint of fedtrace.v1/DE/op-de (6 entries) is stale: signed"
                + " 2026-11-26T08:00:00Z, more than 10 minutes ago (R13.16)"),
        r.texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aDeliveryThePeerNeverRecordedFails() {
    exchange(de, fr);
    logs.record(de, Event.BATCH_SENT, batch("phantom"), "DE", "FR/op-fr", 100, "");
    peers.put(logs.identity("FR"), new DirectLogClient(fr));
    AuditReport r = audit(de, AuditState.empty());
    assertEquals(
        List.of(
            "entry 6 of fedtrace.v1/DE/op-de (BATCH_SENT batch "
                + TestLogs.shortHex("phantom")
                + " to FR/op-fr): the log of FR/op-fr (4 entries) has no record of batch "
                + TestLogs.shortHex("phantom")
                + " (a delivery lost in transit is sent again; audit again to confirm)"),
        r.texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aReceiptWhoseSenderHidTheDeliveryFails() {
    exchange(de, fr);
    logs.record(fr, Event.BATCH_RECEIVED, batch("hidden"), "DE", "DE/op-de", 100, "");
    peers.put(logs.identity("DE"), new DirectLogClient(de));
    AuditReport r = audit(fr, AuditState.empty());
    assertEquals(
        List.of(
            "entry 4 of fedtrace.v1/FR/op-fr (BATCH_RECEIVED batch "
                + TestLogs.shortHex("hidden")
                + " from DE/op-de): the log of DE/op-de (6 entries) records no delivery of batch "
                + TestLogs.shortHex("hidden")
                + " to FR/op-fr in fedtrace.v1/DE/op-de"),
        r.texts(AuditReport.Kind.FAILED));
  }

  @Test
  void aBatchThePeerAlreadyHeldCountsAsDelivered() {
    TransparencyLog it = logs.log("IT");
    logs.record(de, Event.BATCH_CREATED, batch("b1"), "DE", "", 100, "");
    logs.delivered(de, it, "b1", "DE", 100);
    logs.delivered(it, fr, "b1", "DE", 100);
    logs.record(de, Event.BATCH_SENT, batch("b1"), "DE", "FR/op-fr", 100, "");
    peers.put(logs.identity("FR"), new DirectLogClient(fr));
    peers.put(logs.identity("IT"), new DirectLogClient(it));
    AuditReport r = audit(de, AuditState.empty());
    assertEquals(List.of(), r.texts(AuditReport.Kind.FAILED));
    assertTrue(
        r.texts(AuditReport.Kind.VERIFIED)
            .contains(
                "entry 2 of fedtrace.v1/DE/op-de (BATCH_SENT batch "
                    + TestLogs.shortHex("b1")
                    + " to FR/op-fr): FR/op-fr recorded it as its entry 0 (BATCH_RECEIVED batch "
                    + TestLogs.shortHex("b1")
                    + " from IT/op-it)"),
        r.texts(AuditReport.Kind.VERIFIED).toString());
  }

  @Test
  void aPeerWithoutAddressIsSkippedNotFailed() {
    exchange(de, fr);
    AuditReport r = audit(de, AuditState.empty());
    assertTrue(r.passed());
    assertTrue(
        r.texts(AuditReport.Kind.SKIPPED)
            .contains("no address is known for FR/op-fr: its log is not cross-checked"));
  }

  @Test
  void aPeerLogThatDoesNotMakeItsTreeFails() throws Exception {
    exchange(de, fr);
    fr.checkpoint();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + logs.file("FR"));
        PreparedStatement s =
            c.prepareStatement("UPDATE log_entry SET leaf = ? WHERE leaf_index = 0")) {
      s.setBytes(1, LogEntries.encode(fr.entries(0, 1).get(0).toBuilder().setKeyCount(1).build()));
      s.executeUpdate();
    }
    peers.put(logs.identity("FR"), new DirectLogClient(fr));
    AuditReport r = audit(de, AuditState.empty());
    assertTrue(
        r.texts(AuditReport.Kind.FAILED)
            .contains(
                "fedtrace.v1/FR/op-fr: the tree rebuilt from the 4 entries it served is not the"
                    + " tree of its checkpoint"),
        r.texts(AuditReport.Kind.FAILED).toString());
  }

  @Test
  void aSampleOfALargeLogAlwaysHoldsTheNewestAndTheFirstNewEntry() {
    for (int i = 0; i < 200; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("c" + i), "DE", "", 1, "");
    }
    AuditReport first = audit(de, AuditState.empty(), 10);
    List<String> included =
        first.texts(AuditReport.Kind.VERIFIED).stream()
            .filter(t -> t.contains("included"))
            .toList();
    assertEquals(10, included.size());
    assertTrue(included.get(9).startsWith("entry 199 of"), included.toString());
    for (int i = 0; i < 50; i++) {
      logs.record(de, Event.BATCH_CREATED, batch("d" + i), "DE", "", 1, "");
    }
    List<String> next =
        audit(de, first.state(), 10).texts(AuditReport.Kind.VERIFIED).stream()
            .filter(t -> t.startsWith("entry 200 of") || t.startsWith("entry 249 of"))
            .toList();
    assertEquals(2, next.size(), next.toString());
  }
}

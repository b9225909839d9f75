package org.fedtrace.conformance.cases;

import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.LogEntry;

/**
 * The transparency log over a node's life (rules R13.7, R13.10, R13.16, R13.31, R21.2, R21.10):
 * restart, an idle log, retention purge, the sunset and draining. These need a node whose clock and
 * lifecycle the runner controls (the in-process runner starts a fresh one per case); a remote run
 * skips them.
 */
public final class LogLifecycleCases extends LogCaseBase {
  public LogLifecycleCases(Session s) {
    super(s);
  }

  /** A batch of member A with one key leaving the retention window an hour after now. */
  private DiagnosisKeyBatch expiringSoon() {
    long window = batches().nowInterval() - (long) s.info().getRetentionDays() * Batches.DAY;
    DiagnosisKey k =
        batches().key(1).toBuilder()
            .setRollingStartIntervalNumber((int) (window + 6 - Batches.DAY))
            .build();
    return sign(unsigned(a(), List.of(k, batches().key(1))), a());
  }

  /**
   * R13.7 past retention (controlled node): a batch with one key leaving retention in an hour is
   * published; two hours later (clock moved, purge due) the log has a BATCH_PURGED entry for it
   * (origin A's country, no peer, 1 or 2 keys), its new checkpoint is consistent with the one
   * before, and every entry below the old size is unchanged. When it fails: the purge rewrites or
   * drops log entries, or is not logged.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_7_keepsEntriesPastRetention() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LogLifecycleCases c = new LogLifecycleCases(cs);
      DiagnosisKeyBatch b = c.expiringSoon();
      c.publish(c.a().tls(), b);
      Checkpoint before = c.log.checkpoint();
      List<LogEntry> entries = c.log.allEntries(before);
      node.advanceClock(Duration.ofHours(2));
      Checkpoint after = c.log.checkpoint();
      c.log.assertConsistent(before, after, "R13.7");
      Expect.equal(entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries after purge");
      byte[] subject = Canonical.contentHash(b);
      LogEntry purged =
          c.log.findOne(
              "R13.7",
              "recording the purge",
              before.getTreeSize(),
              after,
              x -> about(x, subject) && x.getEventType() == EventType.EVENT_TYPE_BATCH_PURGED);
      Expect.equal(c.a().identity().country(), purged.getOrigin(), "R13.5 BATCH_PURGED origin");
      Expect.equal("", purged.getPeer(), "R13.5 BATCH_PURGED peer");
      Expect.check(
          purged.getKeyCount() == 1 || purged.getKeyCount() == 2,
          "R13.5: BATCH_PURGED counts " + purged.getKeyCount() + " keys, not 1 or 2");
      c.log.assertIncluded(purged, after);
    }
  }

  /**
   * R13.10 across a restart (controlled node): after a publish and a checkpoint, the node restarts
   * on its store; its next checkpoint is consistent with the one before, dated no earlier, and the
   * entries below the old size are unchanged. When it fails: the log is not durable, or the node
   * rolls back on restart.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_10_staysConsistentAcrossRestart() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled()) {
      Checkpoint before;
      List<LogEntry> entries;
      try (Session cs = new Session(node.target())) {
        LogLifecycleCases c = new LogLifecycleCases(cs);
        c.publish(c.a().tls(), c.valid(c.a(), 2));
        before = c.log.checkpoint();
        entries = c.log.allEntries(before);
      }
      node.restart();
      try (Session cs = new Session(node.target())) {
        LogLifecycleCases c = new LogLifecycleCases(cs);
        Checkpoint after = c.log.checkpoint();
        c.log.assertConsistent(before, after, "R13.10");
        Expect.check(
            after.getTimeUnixMillis() >= before.getTimeUnixMillis(),
            "R13.14: the checkpoint after the restart is dated before the one before it");
        Expect.equal(
            entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries after restart");
      }
    }
  }

  /**
   * R13.16 on an idle log (controlled node): a checkpoint, then the node's clock moves 10 minutes
   * with nothing appended; the next checkpoint is dated at least 300 s later than the first. When
   * it fails: the node answers its latest checkpoint however old it is.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R13_16_resignsAnIdleLog() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LogLifecycleCases c = new LogLifecycleCases(cs);
      Checkpoint first = c.log.checkpoint();
      node.advanceClock(Duration.ofMinutes(10));
      Checkpoint later = c.log.checkpoint();
      Expect.check(
          later.getTimeUnixMillis() - first.getTimeUnixMillis() >= 300_000,
          "R13.16: 10 minutes later the node answers a checkpoint dated "
              + (later.getTimeUnixMillis() - first.getTimeUnixMillis()) / 1000
              + " s after the first");
      c.log.assertConsistent(first, later, "R13.10");
    }
  }

  /**
   * R13.31, R13.7 and R21.10 (controlled node): a batch of A is published; past the sunset the log
   * still answers: a checkpoint that verifies and is consistent with the one before the sunset,
   * entries below the old size unchanged, a SUNSET_ERASURE entry for the batch (origin A's country,
   * no peer, its key count) with an audit path that verifies. When it fails: the node closes its
   * log at the sunset, rewrites it, or erases foreign data without recording it.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  @Covers({"R13.7", "R21.10"})
  public void R13_31_answersLogPastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      LogLifecycleCases c = new LogLifecycleCases(cs);
      DiagnosisKeyBatch b = c.valid(c.a(), 3);
      c.publish(c.a().tls(), b);
      Checkpoint before = c.log.checkpoint();
      List<LogEntry> entries = c.log.allEntries(before);
      Instant sunset =
          LocalDate.parse(cs.info().getSunsetDate())
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      node.advanceClock(Duration.between(Instant.now(), sunset).plusHours(1));
      Checkpoint after = c.log.checkpoint();
      c.log.assertConsistent(before, after, "R13.31");
      Expect.equal(entries, c.log.entries(0, before.getTreeSize()), "R13.7 entries past sunset");
      byte[] subject = Canonical.contentHash(b);
      LogEntry erased =
          c.log.findOne(
              "R21.10",
              "recording the erasure",
              before.getTreeSize(),
              after,
              x -> about(x, subject) && x.getEventType() == EventType.EVENT_TYPE_SUNSET_ERASURE);
      LogReader.assertEntry(
          "R21.10",
          erased,
          EventType.EVENT_TYPE_SUNSET_ERASURE,
          subject,
          c.a().identity().country(),
          "",
          3,
          "");
      c.log.assertIncluded(erased, after);
    }
  }

  /**
   * R21.2 for the log (controlled node): once the node starts draining, GetCheckpoint gets
   * UNAVAILABLE (from the node or its gRPC library). When it fails: the log keeps answering while
   * the node shuts down.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R21_2_refusesLogCallsWhileDraining() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      new LogLifecycleCases(cs).log.checkpoint();
      node.beginDraining();
      Expect.failsWith(
          Status.Code.UNAVAILABLE,
          "R21.2",
          () ->
              cs.transparencyLog(cs.kit().memberA().tls())
                  .getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
    }
  }
}

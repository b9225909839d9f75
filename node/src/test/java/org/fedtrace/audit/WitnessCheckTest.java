package org.fedtrace.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The auditor's witness quorum (spec/transparency.md §15.4): DE's log, witnessed by FR, IT and NL;
 * the audit passes when a majority cosigned one checkpoint, and fails when the quorum is missing or
 * when the cosigned checkpoint contradicts the latest one the auditor is shown (a split view).
 */
class WitnessCheckTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private TransparencyLog fork;
  private List<OperatorIdentity> witnesses;
  private final List<Duration> slept = new ArrayList<>();
  private WitnessCheck check;

  @BeforeEach
  void open() {
    logs = new TestLogs(tmp, "DE", "FR", "IT", "NL");
    de = logs.log("DE");
    fork = logs.log("DE", logs.database("DE-fork"));
    witnesses = List.of(logs.identity("FR"), logs.identity("IT"), logs.identity("NL"));
    check =
        new WitnessCheck(
            logs.pki.validator(),
            logs.clock,
            d -> {
              slept.add(d);
              logs.clock.advance(d);
            });
    for (int i = 0; i < 4; i++) {
      logs.append(de, Event.BATCH_CREATED, TestLogs.batch("a" + i), "DE", "", 100, "");
      logs.append(fork, Event.BATCH_CREATED, TestLogs.batch("x" + i), "DE", "", 100, "");
    }
  }

  @AfterEach
  void close() {
    logs.close();
  }

  private void cosign(TransparencyLog log, String... countries) throws Exception {
    Checkpoint c = log.cosigned().current(3).get(0).getCheckpoint();
    for (String country : countries) {
      Cosignature cos =
          Cosignatures.sign(
              c,
              logs.identity(country),
              logs.clock.instant().getEpochSecond(),
              SigningKey.fromPrivateKey(logs.credentials(country).signing().privateKey()),
              logs.credentials(country).signing().certificate().getEncoded());
      log.cosigned().add(c, cos);
    }
  }

  private List<AuditReport.Finding> run(LogClient client, int quorum, Duration wait) {
    return check.check(logs.identity("DE"), client, witnesses, quorum, wait);
  }

  @Test
  void aMajorityOfWitnessesOnOneCheckpointPasses() throws Exception {
    cosign(de, "FR", "NL");
    List<AuditReport.Finding> found = run(new View(de, de), 2, Duration.ZERO);
    assertEquals(1, found.size(), found.toString());
    assertEquals(AuditReport.Kind.VERIFIED, found.get(0).kind());
    assertTrue(
        found.get(0).text().contains("2 of 3 witnesses [FR/op-fr, NL/op-nl]"), found.toString());
  }

  @Test
  void tooFewWitnessesFailAfterWaiting() throws Exception {
    cosign(de, "FR");
    List<AuditReport.Finding> found = run(new View(de, de), 2, Duration.ofSeconds(3));
    assertEquals(AuditReport.Kind.FAILED, found.get(found.size() - 1).kind());
    assertTrue(
        found.get(0).text().contains("witness quorum not met: at most 1 of 3 witnesses [FR/op-fr]"),
        found.toString());
    assertEquals(
        List.of(Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)), slept);
  }

  @Test
  void aSplitViewFailsWithoutWaiting() throws Exception {
    cosign(de, "FR", "IT", "NL");
    // the auditor is shown the fork, with the cosignatures the witnesses gave the other tree
    List<AuditReport.Finding> found = run(new View(fork, de), 2, Duration.ofSeconds(30));
    assertEquals(1, found.size(), found.toString());
    assertEquals(AuditReport.Kind.FAILED, found.get(0).kind());
    assertTrue(found.get(0).text().contains("split view"), found.toString());
    assertTrue(slept.isEmpty());
  }

  @Test
  void theForkAloneHasNoWitnesses() throws Exception {
    cosign(de, "FR", "IT", "NL");
    List<AuditReport.Finding> found = run(new View(fork, fork), 2, Duration.ZERO);
    assertEquals(AuditReport.Kind.FAILED, found.get(0).kind());
    assertTrue(found.get(0).text().contains("at most 0 of 3 witnesses []"), found.toString());
  }

  @Test
  void aCosignatureOfAnotherCheckpointDoesNotCount() throws Exception {
    cosign(de, "FR");
    Checkpoint c = de.cosigned().current(3).get(0).getCheckpoint();
    Cosignature forged =
        Cosignatures.sign(
            c.toBuilder().setTreeSize(3).build(),
            logs.identity("IT"),
            logs.clock.instant().getEpochSecond(),
            SigningKey.fromPrivateKey(logs.credentials("IT").signing().privateKey()),
            logs.credentials("IT").signing().certificate().getEncoded());
    de.cosigned().add(c, forged); // the log stores it without checking here; its service checks
    List<AuditReport.Finding> found = run(new View(de, de), 2, Duration.ZERO);
    assertEquals(AuditReport.Kind.FAILED, found.get(0).kind());
    assertTrue(found.get(0).text().contains("cosignature that does not verify"), found.toString());
    assertTrue(found.get(1).text().contains("at most 1 of 3"), found.toString());
  }

  /** The latest checkpoint of one log with the cosigned checkpoints of another. */
  private static final class View implements LogClient {
    private final TransparencyLog latest;
    private final TransparencyLog cosigned;

    View(TransparencyLog latest, TransparencyLog cosigned) {
      this.latest = latest;
      this.cosigned = cosigned;
    }

    @Override
    public Checkpoint checkpoint() {
      return latest.checkpoint();
    }

    @Override
    public GetCheckpointResponse witnessed() {
      return GetCheckpointResponse.newBuilder()
          .setCheckpoint(latest.checkpoint())
          .addAllCosigned(cosigned.cosigned().current(3))
          .build();
    }

    @Override
    public List<LogEntry> entries(long start, long end) {
      return latest.entries(start, end);
    }

    @Override
    public List<byte[]> inclusionProof(long index, long size) {
      return latest.inclusionProof(index, size);
    }

    @Override
    public List<byte[]> consistencyProof(long first, long second) {
      return latest.consistencyProof(first, second);
    }
  }
}

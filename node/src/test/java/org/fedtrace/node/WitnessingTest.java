package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.audit.WitnessCheck;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Witnessing between real nodes over mutual TLS (spec/transparency.md §15): DE, FR and IT follow
 * each other; each cosigns the others' checkpoints on its own, hands the cosignatures back, and an
 * auditor then finds a quorum on every log. FR's witness state survives its restart.
 */
class WitnessingTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private TestFederation f;

  @AfterEach
  void close() throws Exception {
    if (f != null) {
      f.close();
    }
  }

  private boolean cosignedBy(String log, String... witnesses) {
    List<CosignedCheckpoint> held = f.node(log).transparencyLog().cosigned().held();
    return held.stream()
        .anyMatch(
            cc ->
                List.of(witnesses).stream()
                    .allMatch(
                        w ->
                            cc.getCosignaturesList().stream()
                                .anyMatch(c -> c.getWitness().equals(w))));
  }

  @Test
  void everyMemberWitnessesItsPeersAndAnAuditFindsTheQuorum() throws Exception {
    f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR", "IT");
    for (String c : List.of("DE", "FR", "IT")) {
      f.startNode(c);
    }
    for (String a : List.of("DE", "FR", "IT")) {
      for (String b : List.of("DE", "FR", "IT")) {
        if (!a.equals(b)) {
          f.follow(a, b);
        }
      }
    }
    f.await(WAIT, () -> cosignedBy("DE", "FR/op-fr", "IT/op-it"), "FR and IT cosigned DE's log");
    f.await(WAIT, () -> cosignedBy("FR", "DE/op-de", "IT/op-it"), "DE and IT cosigned FR's log");

    OperatorIdentity de = f.credentials("DE").identity();
    List<AuditReport.Finding> found =
        new WitnessCheck(f.pki().validator(), Clock.systemUTC(), d -> {})
            .check(
                de,
                new GrpcLogClient(
                    f.channel("DE", f.credentials("FR").tls()), Duration.ofSeconds(10)),
                List.of(f.credentials("FR").identity(), f.credentials("IT").identity()),
                2,
                Duration.ZERO);
    assertEquals(AuditReport.Kind.VERIFIED, found.get(0).kind(), found.toString());
    assertTrue(found.get(0).text().contains("2 of 2 witnesses"), found.toString());
    assertTrue(f.node("FR").metrics().witnessedCount("DE/op-de", "cosigned") >= 1);

    String origin = "fedtrace.v1/DE/op-de";
    Checkpoint before =
        Checkpoint.parseFrom(
            f.node("FR").store().read(tx -> tx.witnessing().cosigned(origin)).orElseThrow());
    f.stopNode("FR");
    f.startNode("FR");
    Checkpoint after =
        Checkpoint.parseFrom(
            f.node("FR").store().read(tx -> tx.witnessing().cosigned(origin)).orElseThrow());
    assertTrue(
        after.getTreeSize() >= before.getTreeSize()
            && after.getTimeUnixMillis() >= before.getTimeUnixMillis(),
        "FR's witness state of DE's log survives its restart");
  }
}

package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.TransparencyLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FR witnesses DE's log (spec/transparency.md §15.2): it cosigns consistent checkpoints, refuses a
 * split view (a second tree of the same size, signed with DE's own key, shown to it later), a
 * rolled-back tree and a forged signature, and remembers what it cosigned across a restart.
 */
class WitnessTest {
  @TempDir Path tmp;

  private TestLogs logs;
  private TransparencyLog de;
  private TransparencyLog fork;
  private Store witnessStore;
  private NodeMetrics metrics;
  private Witness fr;

  @BeforeEach
  void open() throws Exception {
    logs = new TestLogs(tmp, "DE", "FR");
    de = logs.log("DE");
    fork = logs.log("DE", logs.database("DE-fork"));
    metrics = new NodeMetrics();
    witnessStore = SqliteStore.open(tmp.resolve("fr-witness"));
    fr = witness(witnessStore);
  }

  @AfterEach
  void close() {
    witnessStore.close();
    logs.close();
  }

  private Witness witness(Store store) throws Exception {
    return new Witness(
        store,
        metrics,
        logs.pki.validator(),
        logs.identity("FR"),
        SigningKey.fromPrivateKey(logs.credentials("FR").signing().privateKey()),
        logs.credentials("FR").signing().certificate().getEncoded(),
        logs.clock);
  }

  private void grow(TransparencyLog log, String prefix, int entries) {
    for (int i = 0; i < entries; i++) {
      logs.append(log, Event.BATCH_CREATED, TestLogs.batch(prefix + i), "DE", "", 100, "");
    }
  }

  private VerifyingKey frKey() throws Exception {
    return VerifyingKey.fromPublicKey(
        logs.credentials("FR").signing().certificate().getPublicKey());
  }

  private OperatorIdentity deId() {
    return logs.identity("DE");
  }

  @Test
  void cosignsAConsistentLogAndHandsTheCosignatureToIt() throws Exception {
    grow(de, "a", 3);
    ServedLog served = new ServedLog(de, 1);
    assertEquals(Witness.Outcome.COSIGNED, fr.witness(deId(), served));
    CosignedCheckpoint c = de.cosigned().current(1).get(0);
    assertEquals(3, c.getCheckpoint().getTreeSize());
    assertEquals(1, c.getCosignaturesCount());
    Cosignature cos = c.getCosignatures(0);
    assertEquals("FR/op-fr", cos.getWitness());
    assertEquals(logs.clock.instant().getEpochSecond(), cos.getTimeUnixSeconds());
    Cosignatures.verify(c.getCheckpoint(), cos, frKey()); // throws if it does not verify
    assertEquals(Witness.Outcome.UNCHANGED, fr.witness(deId(), served));

    grow(de, "b", 4);
    logs.clock.advance(Duration.ofSeconds(1));
    assertEquals(Witness.Outcome.COSIGNED, fr.witness(deId(), served));
    CosignedCheckpoint next = de.cosigned().current(1).get(0);
    assertEquals(7, next.getCheckpoint().getTreeSize());
    assertEquals(1, next.getCosignaturesCount());
    assertEquals(c, de.cosigned().current(1).get(1), "the one before stays served");
    assertEquals(2.0, metrics.witnessedCount("DE/op-de", "cosigned"));
  }

  @Test
  void refusesTheSecondTreeOfASplitView() throws Exception {
    grow(de, "a", 3);
    grow(fork, "x", 3);
    assertEquals(Witness.Outcome.COSIGNED, fr.witness(deId(), new ServedLog(de, 1)));
    final Checkpoint seen = de.cosigned().current(1).get(0).getCheckpoint();
    ServedLog forked = new ServedLog(fork, 1);
    assertEquals(Witness.Outcome.FORKED, fr.witness(deId(), forked));
    assertTrue(forked.added.isEmpty(), "no cosignature of the second tree");
    assertEquals(0, fork.cosigned().current(1).get(0).getCosignaturesCount());

    grow(fork, "y", 2); // growing the fork does not make it consistent
    logs.clock.advance(Duration.ofSeconds(121));
    assertEquals(Witness.Outcome.FORKED, fr.witness(deId(), forked));
    assertTrue(forked.added.isEmpty());
    assertEquals(2.0, metrics.witnessedCount("DE/op-de", "forked"));
    Checkpoint refused =
        Checkpoint.parseFrom(
            witnessStore.read(tx -> tx.witnessing().refused(de.origin())).orElseThrow());
    assertEquals(3, refused.getTreeSize(), "the first refused checkpoint is kept as evidence");
    Checkpoint cosigned =
        Checkpoint.parseFrom(
            witnessStore.read(tx -> tx.witnessing().cosigned(de.origin())).orElseThrow());
    assertEquals(seen, cosigned, "the witness keeps the last checkpoint it cosigned");
  }

  @Test
  void refusesARolledBackLog() throws Exception {
    grow(de, "a", 5);
    grow(fork, "a", 3); // the same first three entries: a backup restored
    assertEquals(Witness.Outcome.COSIGNED, fr.witness(deId(), new ServedLog(de, 1)));
    ServedLog restored = new ServedLog(fork, 1);
    assertEquals(Witness.Outcome.ROLLED_BACK, fr.witness(deId(), restored));
    assertTrue(restored.added.isEmpty());
  }

  @Test
  void refusesACheckpointNotSignedByTheLogsOperator() throws Exception {
    TransparencyLog impostor = logs.log("FR", logs.database("FR-as-DE"));
    grow(impostor, "a", 2);
    ServedLog served = new ServedLog(impostor, 1);
    assertEquals(Witness.Outcome.BAD_SIGNATURE, fr.witness(deId(), served));
    assertTrue(served.added.isEmpty());
    assertTrue(witnessStore.read(tx -> tx.witnessing().cosigned(de.origin())).isEmpty());
  }

  @Test
  void remembersWhatItCosignedAcrossARestart() throws Exception {
    grow(de, "a", 3);
    grow(fork, "x", 3);
    assertEquals(Witness.Outcome.COSIGNED, fr.witness(deId(), new ServedLog(de, 1)));
    witnessStore.close();
    witnessStore = SqliteStore.open(tmp.resolve("fr-witness"));
    Witness restarted = witness(witnessStore);
    ServedLog forked = new ServedLog(fork, 1);
    assertEquals(Witness.Outcome.FORKED, restarted.witness(deId(), forked));
    assertTrue(forked.added.isEmpty());
  }
}

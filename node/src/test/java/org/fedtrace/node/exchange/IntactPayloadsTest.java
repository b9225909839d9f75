package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Clock;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.junit.jupiter.api.Test;

/**
 * {@link Deliveries#intact} remembers payloads it found intact (a hub checks one batch once, not
 * once per peer), yet still notices bytes that changed since: the memory is keyed by the stored
 * bytes' own hash and the stored content hash.
 */
class IntactPayloadsTest {
  private static final OperatorIdentity DE = new OperatorIdentity("DE", "op-de");
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "op-fr");

  private final NodeMetrics metrics = new NodeMetrics();
  private final Deliveries deliveries =
      new Deliveries(
          new ExchangeContext(null, null, metrics, null, null, Clock.systemUTC(), null),
          false,
          14,
          List.of(DE, FR),
          DE,
          SharingTerms.ALL);

  private static StoredBatch stored(DiagnosisKeyBatch payload, Digest content) {
    return new StoredBatch(7, "DE", null, payload.toByteArray(), content, payload.getKeysCount());
  }

  private double damaged() {
    return metrics.batchCount(FR.toString(), "out", "damaged", "");
  }

  @Test
  void bytesChangedAfterACheckAreStillFoundDamaged() {
    TestBatches t = new TestBatches(3, Clock.systemUTC().instant());
    DiagnosisKeyBatch batch = t.batch("DE", 1, t.keys(4, 4));
    Digest content = Digest.of(CanonicalEncoding.batchDigest(batch));
    assertTrue(deliveries.intact(stored(batch, content), FR));
    assertTrue(deliveries.intact(stored(batch, content), FR), "checked again, from memory");
    assertEquals(0.0, damaged());

    // one key's data changed on disk: still parses, no longer hashes to the stored content hash
    byte[] data = batch.getKeys(0).getKeyData().toByteArray();
    data[0] ^= 1;
    DiagnosisKeyBatch edited =
        batch.toBuilder()
            .setKeys(0, batch.getKeys(0).toBuilder().setKeyData(ByteString.copyFrom(data)))
            .build();
    assertFalse(deliveries.intact(stored(edited, content), FR));
    assertEquals(1.0, damaged());

    // the remembered bytes under another stored content hash are not taken for intact either
    Digest other = Digest.of(CanonicalEncoding.batchDigest(edited));
    assertFalse(deliveries.intact(stored(batch, other), FR));
    assertEquals(2.0, damaged());
    assertTrue(deliveries.intact(stored(batch, content), FR));
  }
}

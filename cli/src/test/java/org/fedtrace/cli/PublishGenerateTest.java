package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.junit.jupiter.api.Test;

/**
 * {@code publish --generate} makes its batches one at a time, as it sends them: the largest run its
 * options allow (100,000 batches of 10,000 keys, about 30 GB) starts at once and holds one batch in
 * memory. Building them all first ran out of a 512 MB heap at 750 batches.
 */
class PublishGenerateTest {
  @Test
  void theLargestRunMakesItsBatchesOneAtATime() {
    SigningKey key = SigningKey.generate(new SecureRandom());
    BatchSigner signer = new BatchSigner(key, new byte[] {1});
    Instant now = Instant.parse("2026-12-06T12:00:00Z");

    Iterator<DiagnosisKeyBatch> batches =
        PublishCommand.generated(signer, "DE", 41, 100_000, 10_000, 13, now);

    for (long sequence = 41; sequence < 44; sequence++) {
      assertTrue(batches.hasNext());
      DiagnosisKeyBatch b = batches.next();
      assertEquals(sequence, b.getSequence());
      assertEquals("DE", b.getOrigin());
      assertEquals(10_000, b.getKeysCount());
      assertEquals(CanonicalEncoding.sortedKeys(b.getKeysList()), b.getKeysList());
    }
  }

  @Test
  void endsAfterTheLastBatch() {
    BatchSigner signer = new BatchSigner(SigningKey.generate(new SecureRandom()), new byte[] {1});
    Iterator<DiagnosisKeyBatch> batches =
        PublishCommand.generated(signer, "FR", 1, 2, 5, 3, Instant.now());
    batches.next();
    batches.next();
    assertFalse(batches.hasNext());
    assertThrows(NoSuchElementException.class, batches::next);
  }
}

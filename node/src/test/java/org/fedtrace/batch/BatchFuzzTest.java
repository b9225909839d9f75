package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.time.Instant;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.fuzz.Seeds;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TestPki;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes what a node does with a batch's bytes from a peer: decode, the batch rules, the signer
 * certificate, the canonical encoding and the signature. Whatever the bytes, the only outcomes are
 * a parse error, a rule violation with its rule, a rejected certificate or a bad signature; any
 * other exception is a finding. A batch that passes everything re-encodes to the same canonical
 * bytes.
 */
public class BatchFuzzTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final TestPki PKI = TestPki.create(NOW, 14);
  private static final OperatorCredentials DE = PKI.member("DE", "op-de");
  private static final BatchRules RULES = new BatchRules(14, 10_000);

  enum Outcome {
    UNDECODABLE,
    BROKE_A_RULE,
    CERTIFICATE_REJECTED,
    BAD_SIGNATURE,
    ACCEPTED
  }

  /** The entry point of Jazzer's standalone driver ({@code fuzz/run}): one input. */
  public static void fuzzerTestOneInput(byte[] input) {
    run(input);
  }

  @FuzzTest(maxDuration = "30s")
  void admit(byte[] input) {
    run(input);
  }

  static Outcome run(byte[] input) {
    DiagnosisKeyBatch batch;
    try {
      batch = DiagnosisKeyBatch.parseFrom(input);
    } catch (InvalidProtocolBufferException e) {
      return Outcome.UNDECODABLE;
    }
    try {
      RULES.check(batch, NOW, BatchFuzzTest::parsesAsCertificate);
    } catch (RuleViolation e) {
      assertTrue(e.getMessage().startsWith(e.rule().id() + ": "), e.getMessage());
      return Outcome.BROKE_A_RULE;
    }
    TrustedSigner signer;
    try {
      signer = PKI.validator().validateBatchSigner(batch.getSignerCertificate().toByteArray(), NOW);
    } catch (CertificateRejectedException e) {
      return Outcome.CERTIFICATE_REJECTED;
    }
    byte[] canonical = CanonicalEncoding.batch(batch);
    try {
      assertArrayEquals(
          canonical, CanonicalEncoding.batch(DiagnosisKeyBatch.parseFrom(batch.toByteArray())));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("a parsed batch does not parse again", e);
    }
    try {
      BatchSigner.verify(batch, signer.key());
    } catch (SignatureException e) {
      return Outcome.BAD_SIGNATURE;
    }
    return Outcome.ACCEPTED;
  }

  private static boolean parsesAsCertificate(ByteString der) {
    try {
      CertificateKeys.certificateFromDer(der.toByteArray());
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }

  @Test
  void aSignedBatchIsAcceptedAndAForgeryIsNot() {
    TestBatches batches = new TestBatches(1, NOW);
    DiagnosisKeyBatch signed =
        Signatures.sign(batches.batch("DE", 1, batches.keys(20, 10)), DE.signing());
    Seeds.offer(BatchFuzzTest.class, "admit", "signed-batch", signed.toByteArray());
    assertEquals(Outcome.ACCEPTED, run(signed.toByteArray()));
    assertEquals(Outcome.BAD_SIGNATURE, run(Signatures.altered(signed).toByteArray()));
    assertEquals(
        Outcome.BROKE_A_RULE, run(signed.toBuilder().setOrigin("de").build().toByteArray()));
    assertEquals(Outcome.UNDECODABLE, run(new byte[] {(byte) 0xff}));
    OperatorIdentity fr = new OperatorIdentity("FR", "op-fr");
    DiagnosisKeyBatch foreignCa =
        Signatures.sign(
            batches.batch("DE", 2, batches.keys(3, 1)),
            TestPki.create(NOW, 14).member(fr.country(), fr.operatorId()).signing());
    assertEquals(Outcome.CERTIFICATE_REJECTED, run(foreignCa.toByteArray()));
  }
}

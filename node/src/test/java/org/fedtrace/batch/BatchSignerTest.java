package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.security.SignatureException;
import org.fedtrace.crypto.SecretBytes;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@link BatchSigner}: sign and verify, and what the signature covers. */
class BatchSignerTest {
  private static final SigningKey KEY = SigningKey.fromSeed(SecretBytes.copyOf(new byte[32]));
  private static final SigningKey OTHER_KEY = SigningKey.fromSeed(SecretBytes.copyOf(seed(32)));
  private static final byte[] CERTIFICATE = {0x30, 0x03, 0x02, 0x01, 0x01};

  private static final DiagnosisKeyBatch BATCH =
      DiagnosisKeyBatch.newBuilder()
          .setFormatVersion(1)
          .setBatchId(ByteString.copyFrom(seed(16)))
          .setOrigin("DE")
          .setSequence(1)
          .setCreatedUnixSeconds(1_767_225_600L)
          .addKeys(
              DiagnosisKey.newBuilder()
                  .setKeyData(ByteString.copyFrom(seed(16)))
                  .setRollingStartIntervalNumber(2_945_232)
                  .setRollingPeriod(144)
                  .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
                  .setDaysSinceOnsetOfSymptoms(0))
          .build();

  private final BatchSigner signer = new BatchSigner(KEY, CERTIFICATE);

  @Test
  void signedBatchVerifies() throws SignatureException {
    BatchSigner.verify(signer.sign(BATCH), KEY.verifyingKey());
  }

  @Test
  void signSetsCertificateAndSignatureAndNothingElse() {
    DiagnosisKeyBatch signed = signer.sign(BATCH);
    assertEquals(ByteString.copyFrom(CERTIFICATE), signed.getSignerCertificate());
    assertEquals(64, signed.getSignature().size());
    assertEquals(BATCH, signed.toBuilder().clearSignerCertificate().clearSignature().build());
  }

  @Test
  void certificateIsNotCovered() throws SignatureException {
    DiagnosisKeyBatch signed = signer.sign(BATCH);
    DiagnosisKeyBatch otherCertificate =
        signed.toBuilder().setSignerCertificate(ByteString.copyFromUtf8("another")).build();
    BatchSigner.verify(otherCertificate, KEY.verifyingKey());
    BatchSigner.verify(signed.toBuilder().clearSignerCertificate().build(), KEY.verifyingKey());
  }

  @Test
  void signatureIsNotCovered() {
    DiagnosisKeyBatch signed = signer.sign(BATCH);
    assertEquals(signed.getSignature(), signer.sign(signed).getSignature());
  }

  @Test
  void refusesATamperedBatch() {
    DiagnosisKeyBatch tampered = signer.sign(BATCH).toBuilder().setSequence(2).build();
    assertFails(
        "the signature does not verify", () -> BatchSigner.verify(tampered, KEY.verifyingKey()));
  }

  @Test
  void refusesAnotherSignersKey() {
    DiagnosisKeyBatch signed = signer.sign(BATCH);
    assertFails(
        "the signature does not verify",
        () -> BatchSigner.verify(signed, OTHER_KEY.verifyingKey()));
  }

  @Test
  void refusesAMissingOrTruncatedSignature() {
    DiagnosisKeyBatch signed = signer.sign(BATCH);
    assertFails(
        "an Ed25519 signature is 64 bytes, got 0",
        () -> BatchSigner.verify(BATCH, KEY.verifyingKey()));
    DiagnosisKeyBatch truncated =
        signed.toBuilder().setSignature(signed.getSignature().substring(0, 63)).build();
    assertFails(
        "an Ed25519 signature is 64 bytes, got 63",
        () -> BatchSigner.verify(truncated, KEY.verifyingKey()));
  }

  private static void assertFails(String message, Executable verify) {
    assertEquals(message, assertThrows(SignatureException.class, verify).getMessage());
  }

  private static byte[] seed(int length) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (i * 37 + length);
    }
    return b;
  }
}

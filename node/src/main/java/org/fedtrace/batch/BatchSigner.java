package org.fedtrace.batch;

import com.google.protobuf.ByteString;
import java.security.SignatureException;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * Signs batches with an origin's batch-signing key and verifies batch signatures.
 *
 * <p>The signature is Ed25519 over {@link CanonicalEncoding#batch}. The certificate that travels
 * with the batch is not covered: it only delivers the public key, and a receiver validates it
 * against the federation authority separately.
 */
public final class BatchSigner {
  private final Signer key;
  private final ByteString certificate;

  /**
   * @param key the origin's batch-signing key, in memory or in an HSM
   * @param certificateDer the DER certificate binding that key to the origin's country
   */
  public BatchSigner(Signer key, byte[] certificateDer) {
    this.key = key;
    this.certificate = ByteString.copyFrom(certificateDer);
  }

  /** {@code batch} with signer_certificate and signature set; other fields unchanged. */
  public DiagnosisKeyBatch sign(DiagnosisKeyBatch batch) {
    byte[] signature = key.sign(CanonicalEncoding.batch(batch));
    return batch.toBuilder()
        .setSignerCertificate(certificate)
        .setSignature(ByteString.copyFrom(signature))
        .build();
  }

  /**
   * Checks the signature of {@code batch} under {@code signer}.
   *
   * @throws SignatureException if the signature is missing, of the wrong length, or does not verify
   *     over the canonical encoding
   */
  public static void verify(DiagnosisKeyBatch batch, VerifyingKey signer)
      throws SignatureException {
    signer.verify(CanonicalEncoding.batch(batch), batch.getSignature().toByteArray());
  }
}

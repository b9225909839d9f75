package org.fedtrace.testing;

import java.security.cert.CertificateEncodingException;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.Credential;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/** Signs test batches as an origin would, with any credential (also deliberately wrong ones). */
public final class Signatures {
  private Signatures() {}

  /**
   * {@code batch} signed with the Ed25519 key of {@code signing}, carrying its certificate.
   *
   * @param signing a batch-signing credential (an operator's, or a bad one from TestPki)
   */
  public static DiagnosisKeyBatch sign(DiagnosisKeyBatch batch, Credential signing) {
    try {
      return new BatchSigner(
              SigningKey.fromPrivateKey(signing.privateKey()), signing.certificate().getEncoded())
          .sign(batch);
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code batch} with the first byte of its first key flipped, after signing: a forgery. */
  public static DiagnosisKeyBatch altered(DiagnosisKeyBatch batch) {
    byte[] data = batch.getKeys(0).getKeyData().toByteArray();
    data[0] ^= 0x01;
    return batch.toBuilder()
        .setKeys(
            0,
            batch.getKeys(0).toBuilder().setKeyData(com.google.protobuf.ByteString.copyFrom(data)))
        .build();
  }
}

package org.fedtrace.node.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Status;
import java.security.cert.CertificateException;
import java.time.Instant;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.Rule;
import org.fedtrace.store.StoredBatch;

/**
 * Tells, from a peer's refusal of a pushed batch, whether the refusal is transient (spec R20.11):
 * by R4.3 or R8.7, or by R8.17 for a signer certificate that has not expired by this node's clock
 * (the peer's clock is behind its notBefore). The refusal's status message starts with the rule id
 * (R20.2). A transient refusal is retried after a backoff, never skipped (R20.12).
 */
final class TransientRefusals {
  private TransientRefusals() {}

  /** Whether the peer's refusal {@code s} of {@code pushed} may pass later, as of {@code now}. */
  static boolean isTransient(Status s, StoredBatch pushed, Instant now) {
    String message = s.getDescription() == null ? "" : s.getDescription();
    if (startsWith(message, Rule.ROLLING_START_IN_FUTURE)
        || startsWith(message, Rule.CREATED_IN_FUTURE)) {
      return true;
    }
    return startsWith(message, Rule.SIGNER_CERTIFICATE_NOT_YET_VALID)
        && signerNotExpired(pushed, now);
  }

  private static boolean startsWith(String message, Rule rule) {
    return message.startsWith(rule.id() + ": ");
  }

  private static boolean signerNotExpired(StoredBatch pushed, Instant now) {
    try {
      DiagnosisKeyBatch b = DiagnosisKeyBatch.parseFrom(pushed.payload());
      return CertificateKeys.certificateFromDer(b.getSignerCertificate().toByteArray())
          .getNotAfter()
          .toInstant()
          .isAfter(now);
    } catch (InvalidProtocolBufferException | CertificateException e) {
      return false; // nothing that does not parse passes later
    }
  }
}

package org.fedtrace.node;

import com.google.protobuf.ByteString;
import java.time.Instant;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.rules.RuleViolation;

/** Decides whether the certificate that travels with a batch may sign batches. */
public interface SignerTrust {
  /** A trusted batch signer: who it is and the key its signatures verify under. */
  record Signer(String country, String operatorId, VerifyingKey key) {
    /** "CC/operator-id". */
    public String name() {
      return country + "/" + operatorId;
    }
  }

  /** Whether {@code der} is one DER-encoded X.509 certificate (R8.11). */
  boolean parses(ByteString der);

  /**
   * Validates {@code der} as a batch-signing certificate at {@code now}.
   *
   * @throws RuleViolation R8.14 (not issued by the federation authority), R8.15 (no valid
   *     identity), R8.16 (not a batch-signing certificate) or R8.17 (not valid now)
   */
  Signer signer(ByteString der, Instant now);
}

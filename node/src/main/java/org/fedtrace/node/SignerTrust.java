package org.fedtrace.node;

import java.time.Instant;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.rules.RuleViolation;

/** Decides whether a batch-signing certificate may sign batches of an origin. */
public interface SignerTrust {
  /**
   * Validates {@code certificateDer} as a batch-signing certificate issued by the federation
   * authority, valid at {@code now}, whose country is {@code origin}, and returns its key.
   *
   * @throws RuleViolation SIGNER_CERTIFICATE_MALFORMED, SIGNER_CERTIFICATE_UNTRUSTED,
   *     SIGNER_CERTIFICATE_WRONG_PURPOSE or ORIGIN_IS_NOT_SIGNER_COUNTRY
   */
  VerifyingKey signerKey(byte[] certificateDer, String origin, Instant now);
}

package org.fedtrace.node;

import java.security.SignatureException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.NewBatch;

/**
 * Decides whether a batch may enter the store: its fields and keys, its origin's membership, its
 * signer certificate and its signature, in the spec's order. Used for every batch, whether pushed
 * by a peer, pulled from one, or forwarded through several hops. Thread-safe.
 */
public final class Admission {
  private final BatchRules rules;
  private final Set<String> memberCountries;
  private final SignerTrust trust;
  private final Clock clock;

  /**
   * @param memberCountries countries of the agreement's members, whose batches are accepted
   */
  public Admission(BatchRules rules, Set<String> memberCountries, SignerTrust trust, Clock clock) {
    this.rules = rules;
    this.memberCountries = Set.copyOf(memberCountries);
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * Checks {@code batch} and returns the record to store.
   *
   * @param payload the batch as serialized on the wire (stored and served unchanged)
   * @param receivedFrom the peer that sent it, or null for the node's own
   * @throws RuleViolation for the first rule the batch breaks
   */
  public NewBatch admit(DiagnosisKeyBatch batch, byte[] payload, String receivedFrom) {
    Instant now = clock.instant();
    rules.check(batch, now);
    if (!memberCountries.contains(batch.getOrigin())) {
      throw new RuleViolation(
          Rule.ORIGIN_NOT_A_MEMBER,
          "origin " + batch.getOrigin() + " is not a member of the federation agreement");
    }
    VerifyingKey signer =
        trust.signerKey(batch.getSignerCertificate().toByteArray(), batch.getOrigin(), now);
    byte[] encoding = CanonicalEncoding.batch(batch);
    try {
      signer.verify(encoding, batch.getSignature().toByteArray());
    } catch (SignatureException e) {
      throw new RuleViolation(
          Rule.SIGNATURE_INVALID, "the batch signature does not verify under the signer's key");
    }
    return new NewBatch(
        batch.getOrigin(),
        batch.getBatchId().toByteArray(),
        batch.getSequence(),
        batch.getCreatedUnixSeconds(),
        Sha256.hash(encoding),
        batch.getKeysCount(),
        receivedFrom,
        now.getEpochSecond(),
        oldestKeyEnd(batch),
        payload);
  }

  /** The smallest rolling_start + rolling_period among the batch's keys. */
  static long oldestKeyEnd(DiagnosisKeyBatch batch) {
    long oldest = Long.MAX_VALUE;
    for (DiagnosisKey k : batch.getKeysList()) {
      long end = Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) + k.getRollingPeriod();
      oldest = Math.min(oldest, end);
    }
    return oldest;
  }
}

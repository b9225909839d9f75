package org.fedtrace.node;

import java.security.SignatureException;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.NewBatch;

/**
 * Decides whether a batch may enter the store, in the order of spec §8.1 steps 7–11: format,
 * size, fields and keys, the origin's membership, the signer certificate, the signature. Used for
 * every batch, whether pushed by a peer, pulled from one, or forwarded through several hops, so
 * the origin's signature is checked at every hop. Thread-safe.
 */
public final class Admission {
  private final BatchRules rules;
  private final Set<String> memberCountries;
  private final Set<String> memberNames;
  private final SignerTrust trust;
  private final Clock clock;

  /**
   * @param memberNames the agreement's members as "CC/operator-id"
   */
  public Admission(BatchRules rules, Set<String> memberNames, SignerTrust trust, Clock clock) {
    this.rules = rules;
    this.memberNames = Set.copyOf(memberNames);
    this.memberCountries =
        memberNames.stream().map(n -> n.substring(0, n.indexOf('/'))).collect(
            java.util.stream.Collectors.toUnmodifiableSet());
    this.trust = trust;
    this.clock = clock;
  }

  /**
   * Checks {@code batch} and returns the record to store.
   *
   * @param payload the batch as serialized on the wire (stored and served unchanged, R8.25)
   * @param receivedFrom the peer that sent it, or null for the node's own
   * @throws RuleViolation for the first rule the batch breaks
   */
  public NewBatch admit(DiagnosisKeyBatch batch, byte[] payload, String receivedFrom) {
    Instant now = clock.instant();
    rules.check(batch, now, trust::parses);
    if (!memberCountries.contains(batch.getOrigin())) {
      throw new RuleViolation(
          Rule.ORIGIN_NOT_A_MEMBER,
          "origin " + batch.getOrigin() + " is not a member country of the agreement");
    }
    SignerTrust.Signer signer = trust.signer(batch.getSignerCertificate(), now);
    if (!memberNames.contains(signer.name())) {
      throw new RuleViolation(
          Rule.SIGNER_NOT_A_MEMBER, "signer " + signer.name() + " is not a member");
    }
    if (!signer.country().equals(batch.getOrigin())) {
      throw new RuleViolation(
          Rule.ORIGIN_IS_NOT_SIGNER_COUNTRY,
          "origin " + batch.getOrigin() + " does not match signer country " + signer.country());
    }
    byte[] encoding = CanonicalEncoding.batch(batch);
    try {
      signer.key().verify(encoding, batch.getSignature().toByteArray());
    } catch (SignatureException e) {
      throw RuleViolation.field(
          Rule.SIGNATURE_INVALID, "batch.signature", "does not verify under the signer's key");
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

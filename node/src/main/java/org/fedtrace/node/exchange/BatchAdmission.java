package org.fedtrace.node.exchange;

import com.google.protobuf.ByteString;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.MemberOrigins;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.NewBatch;

/**
 * Decides whether a batch may enter the store, in the order of spec §8.1 steps 7–11: format, size,
 * fields and keys, the origin's membership, the signer certificate, the signature. Used for every
 * batch, whether pushed by a peer, pulled from one, or forwarded through several hops, so the
 * origin's signature is checked at every hop. Thread-safe.
 */
public final class BatchAdmission implements Admission {
  private final BatchRules rules;
  private final Set<OperatorIdentity> members;
  private final Set<String> memberOrigins;
  private final CertificateValidator validator;
  private final Clock clock;

  /**
   * @param members the agreement's members
   * @param validator trusts exactly the federation authority
   */
  public BatchAdmission(
      BatchRules rules,
      Collection<OperatorIdentity> members,
      CertificateValidator validator,
      Clock clock) {
    this.rules = rules;
    this.members = Set.copyOf(members);
    this.memberOrigins = MemberOrigins.origins(members);
    this.validator = validator;
    this.clock = clock;
  }

  @Override
  public NewBatch admit(DiagnosisKeyBatch batch, byte[] payload, OperatorIdentity receivedFrom) {
    Instant now = clock.instant();
    rules.check(batch, now, BatchAdmission::parsesAsCertificate);
    if (!memberOrigins.contains(batch.getOrigin())) {
      throw new RuleViolation(
          Rule.ORIGIN_NOT_A_MEMBER,
          "origin " + batch.getOrigin() + " is not the origin of a member of the agreement");
    }
    TrustedSigner signer = signer(batch, now);
    if (!members.contains(signer.identity())) {
      throw new RuleViolation(
          Rule.SIGNER_NOT_A_MEMBER, "signer " + signer.identity() + " is not a member");
    }
    String signerCountry = signer.identity().country();
    if (!signerCountry.equals(MemberOrigins.country(batch.getOrigin()))) {
      throw new RuleViolation(
          Rule.ORIGIN_IS_NOT_SIGNER_COUNTRY,
          "origin " + batch.getOrigin() + " does not match signer country " + signerCountry);
    }
    String signerOrigin = MemberOrigins.originOf(members, signer.identity());
    if (!signerOrigin.equals(batch.getOrigin())) {
      // R26.10: another member of the signer's country (spec §26.2)
      throw new RuleViolation(
          Rule.ORIGIN_IS_NOT_SIGNER_MEMBER,
          "origin " + batch.getOrigin() + " is not the origin of signer " + signer.identity());
    }
    byte[] encoding = CanonicalEncoding.batch(batch);
    try {
      signer.key().verify(encoding, batch.getSignature().toByteArray());
    } catch (SignatureException e) {
      throw RuleViolation.field(
          Rule.SIGNATURE_INVALID, "batch.signature", "does not verify under the signer's key");
    }
    return record(batch, payload, receivedFrom, now, encoding);
  }

  /** The record of an admitted batch whose canonical encoding is {@code encoding}. */
  public static NewBatch record(
      DiagnosisKeyBatch batch,
      byte[] payload,
      OperatorIdentity receivedFrom,
      Instant now,
      byte[] encoding) {
    return new NewBatch(
        batch, payload, Digest.sha256(encoding), receivedFrom, now.getEpochSecond());
  }

  /** R8.14–R8.17: the signer certificate, in the spec's order. */
  private TrustedSigner signer(DiagnosisKeyBatch batch, Instant now) {
    try {
      return validator.validateBatchSigner(batch.getSignerCertificate().toByteArray(), now);
    } catch (CertificateRejectedException e) {
      switch (e.reason()) {
        case UNTRUSTED_ISSUER:
          throw new RuleViolation(
              Rule.SIGNER_CERTIFICATE_UNTRUSTED,
              "the signer certificate was not issued by the federation authority");
        case REVOKED:
          throw new RuleViolation(
              Rule.SIGNER_CERTIFICATE_REVOKED,
              "the signer certificate is revoked by the federation agreement");
        case NO_IDENTITY:
          throw RuleViolation.field(
              Rule.SIGNER_NO_IDENTITY, "batch.signer_certificate", "names no valid operator");
        case EXPIRED:
          throw new RuleViolation(
              Rule.SIGNER_CERTIFICATE_NOT_VALID_NOW, "the signer certificate is not valid now");
        case NOT_YET_VALID:
          throw new RuleViolation(
              Rule.SIGNER_CERTIFICATE_NOT_YET_VALID, "the signer certificate is not valid yet");
        default:
          throw new RuleViolation(
              Rule.SIGNER_CERTIFICATE_WRONG_PURPOSE,
              "the signer certificate is not a batch-signing certificate");
      }
    }
  }

  /** R8.11: one DER X.509 certificate. */
  public static boolean parsesAsCertificate(ByteString der) {
    try {
      CertificateKeys.certificateFromDer(der.toByteArray());
      return true;
    } catch (CertificateException e) {
      return false;
    }
  }
}

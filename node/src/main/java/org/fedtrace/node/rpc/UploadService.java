package org.fedtrace.node.rpc;

import io.grpc.stub.StreamObserver;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.stats.Tallies;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.proto.v1.SharingConsent;
import org.fedtrace.proto.v1.UploadAuthorization;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.stats.StatisticsPolicy;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.transport.Caller;
import org.fedtrace.upload.Authorizations;
import org.fedtrace.upload.HealthAuthorities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fedtrace.v1.Upload} service: the home side of the node. A diagnosed person's keys
 * enter the federation only here, only from the operator's own backend, and only with a valid,
 * unused authorization from a trusted health authority that covers exactly those keys. Accepted
 * keys are durable before the call returns; the node's batcher publishes them.
 */
public final class UploadService extends UploadGrpc.UploadImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);

  /** Most keys one upload may hold (R12.3). */
  static final int MAX_KEYS = 64;

  private final ExchangeContext ctx;
  private final OperatorIdentity self;
  private final String country;
  private final BatchRules rules;
  private final HealthAuthorities authorities;
  private final long maxLifetimeSeconds;
  private final Runnable keysPending;
  private final StatisticsPolicy statistics;

  /**
   * @param self the node's identity: only its own operator's backend may upload (R12.1, R26.12)
   * @param authorities the health-authority keys trusted for authorizations
   * @param maxLifetimeSeconds the longest authorization lifetime accepted
   * @param keysPending told after each accepted upload (the batcher may publish now)
   * @param statistics the policy of the statistics an upload is tallied for, or null when the node
   *     keeps none (transparency.md §16)
   */
  public UploadService(
      ExchangeContext ctx,
      OperatorIdentity self,
      BatchRules rules,
      HealthAuthorities authorities,
      long maxLifetimeSeconds,
      Runnable keysPending,
      StatisticsPolicy statistics) {
    this.ctx = ctx;
    this.self = self;
    this.country = self.country();
    this.rules = rules;
    this.authorities = authorities;
    this.maxLifetimeSeconds = maxLifetimeSeconds;
    this.keysPending = keysPending;
    this.statistics = statistics;
  }

  @Override
  public void uploadDiagnosisKeys(
      UploadDiagnosisKeysRequest request, StreamObserver<UploadDiagnosisKeysResponse> observer) {
    Replies.send(observer, upload(request));
  }

  private UploadDiagnosisKeysResponse upload(UploadDiagnosisKeysRequest request) {
    OperatorIdentity peer = Caller.current();
    if (!peer.country().equals(country)) {
      throw new RuleViolation(
          Rule.UPLOAD_CALLER_COUNTRY,
          "uploads are accepted only from this node's own country " + country);
    }
    if (!peer.equals(self)) {
      // another member of the node's country uploads at its own node (spec §26.2)
      throw new RuleViolation(
          Rule.UPLOAD_CALLER_MEMBER, "uploads are accepted only from this member's own backend");
    }
    Instant now = ctx.clock().instant();
    checkWellFormed(request, rules, now);
    List<DiagnosisKey> keys = request.getKeysList();
    UploadAuthorization a = request.getAuthorization();
    HealthAuthorities.Authority authority = authorize(a, keys, now);
    LogReceipt receipt = store(a, authority, request, now);
    ctx.metrics().batch(peer.toString(), "upload", "accepted", "", keys.size());
    LOG.info(
        "event=upload_accepted keys={} authority=\"{}\" caller={}",
        keys.size(),
        authority.name(),
        peer);
    keysPending.run();
    return UploadDiagnosisKeysResponse.newBuilder()
        .setAcceptedKeys(keys.size())
        .setReceipt(receipt)
        .build();
  }

  /**
   * The checks of an upload that need neither the store nor the authority's key: the
   * authorization's presence and fields, the key count and key rules, the notice commitment and
   * unknown fields (R12.3, R4, R12.9, R14.1).
   *
   * @throws RuleViolation naming the rule broken, with every field violation
   */
  static void checkWellFormed(UploadDiagnosisKeysRequest request, BatchRules rules, Instant now) {
    if (!request.hasAuthorization()) {
      throw RuleViolation.field(Rule.NO_AUTHORIZATION, "authorization", "is required");
    }
    List<DiagnosisKey> keys = request.getKeysList();
    UploadAuthorization a = request.getAuthorization();
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    if (keys.isEmpty() || keys.size() > MAX_KEYS) {
      bad.add(
          new RuleViolation.FieldViolation(
              "keys",
              Rule.UPLOAD_KEY_COUNT,
              "must hold 1.." + MAX_KEYS + " keys, got " + keys.size()));
    } else {
      rules.checkKeys(keys, "keys", now, bad);
    }
    checkAuthorizationFields(a, bad);
    if (!request.getNoticeCommitment().isEmpty() && request.getNoticeCommitment().size() != 32) {
      bad.add(
          new RuleViolation.FieldViolation(
              "notice_commitment", Rule.NOTICE_COMMITMENT_LENGTH, "must be empty or 32 bytes"));
    }
    if (BatchRules.hasUnknownFields(request)) {
      bad.add(
          new RuleViolation.FieldViolation(
              "", Rule.UPLOAD_UNKNOWN_FIELDS, "the request carries fields unknown to v1"));
    }
    checkSharing(request, bad);
    BatchRules.throwIfAny(bad);
  }

  /** R25.2, R25.3: a known consent; a traveller only with consent to federate and travel. */
  private static void checkSharing(
      UploadDiagnosisKeysRequest request, List<RuleViolation.FieldViolation> bad) {
    int sharing = request.getSharingValue();
    if (sharing < 0 || sharing > SharingConsent.SHARING_CONSENT_FEDERATE_VALUE) {
      bad.add(
          new RuleViolation.FieldViolation(
              "sharing",
              Rule.SHARING_CONSENT_VALUE,
              "must be absent, DOMESTIC_ONLY (1) or FEDERATE (2), got " + sharing));
    } else if (request.getTraveller()
        && (request.getSharing() != SharingConsent.SHARING_CONSENT_FEDERATE
            || request.getKeysList().stream().allMatch(k -> k.getVisitedCountriesCount() == 0))) {
      bad.add(
          new RuleViolation.FieldViolation(
              "traveller",
              Rule.TRAVELLER_WITHOUT_TRAVEL,
              "needs sharing FEDERATE and visited_countries on a key"));
    }
  }

  /** Where the keys of {@code request} may go (R25.1: absent consent is domestic-only). */
  static int scope(UploadDiagnosisKeysRequest request) {
    if (request.getSharing() != SharingConsent.SHARING_CONSENT_FEDERATE) {
      return AcceptedUpload.DOMESTIC_ONLY;
    }
    return request.getTraveller() ? AcceptedUpload.TRAVELLER : AcceptedUpload.FEDERATE;
  }

  /** Stores the upload's keys with the authorization's use and its log entry, in one commit. */
  private LogReceipt store(
      UploadAuthorization a,
      HealthAuthorities.Authority authority,
      UploadDiagnosisKeysRequest request,
      Instant now) {
    List<DiagnosisKey> keys = request.getKeysList();
    List<byte[]> serialized = new ArrayList<>(keys.size());
    for (DiagnosisKey k : keys) {
      serialized.add(k.toByteArray());
    }
    byte[] commitment =
        request.getNoticeCommitment().isEmpty()
            ? null
            : request.getNoticeCommitment().toByteArray();
    AcceptedUpload accepted =
        new AcceptedUpload(
            a.getAuthorizationId().toByteArray(),
            a.getExpiresUnixSeconds(),
            now.getEpochSecond(),
            serialized,
            commitment,
            scope(request));
    return ctx.store()
        .write(
            tx -> {
              tx.uploads().accept(accepted);
              if (statistics != null) {
                tx.statistics()
                    .add(
                        Tallies.day(now.getEpochSecond()),
                        Tallies.upload(statistics, authority.name(), keys, now));
              }
              return ctx.log()
                  .append(
                      tx.log(),
                      LogEvent.uploadAuthorized(Digest.of(Authorizations.hash(a)), country));
            });
  }

  private static void checkAuthorizationFields(
      UploadAuthorization a, List<RuleViolation.FieldViolation> out) {
    if (a.getAuthorizationId().size() != 16) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization.authorization_id", Rule.AUTHORIZATION_ID_LENGTH, "must be 16 bytes"));
    }
    if (!Countries.hasCodeSyntax(a.getCountry())) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization.country",
              Rule.AUTHORIZATION_COUNTRY_SYNTAX,
              "must be two letters A..Z"));
    }
    if (a.getHealthAuthorityKeyId().size() != 32) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization.health_authority_key_id",
              Rule.AUTHORIZATION_KEY_ID_LENGTH,
              "must be 32 bytes"));
    }
    if (a.getKeysDigest().size() != 32) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization.keys_digest", Rule.AUTHORIZATION_DIGEST_LENGTH, "must be 32 bytes"));
    }
    if (a.getSignature().size() != 64) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization.signature", Rule.AUTHORIZATION_SIGNATURE_LENGTH, "must be 64 bytes"));
    }
    if (BatchRules.hasUnknownFields(a)) {
      out.add(
          new RuleViolation.FieldViolation(
              "authorization", Rule.UPLOAD_UNKNOWN_FIELDS, "carries fields unknown to v1"));
    }
  }

  private HealthAuthorities.Authority authorize(
      UploadAuthorization a, List<DiagnosisKey> keys, Instant now) {
    if (!a.getCountry().equals(country)) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_COUNTRY,
          "the authorization is for " + a.getCountry() + ", not " + country);
    }
    HealthAuthorities.Authority authority =
        authorities
            .find(a.getHealthAuthorityKeyId())
            .filter(h -> h.country().equals(country))
            .orElseThrow(
                () ->
                    new RuleViolation(
                        Rule.AUTHORIZATION_UNKNOWN_AUTHORITY,
                        "the authorization's key is not a trusted health authority of " + country));
    try {
      Authorizations.verify(a, authority.key());
    } catch (SignatureException e) {
      throw RuleViolation.field(
          Rule.AUTHORIZATION_SIGNATURE, "authorization.signature", "does not verify");
    }
    long issued = a.getIssuedUnixSeconds();
    long expires = a.getExpiresUnixSeconds();
    if (issued >= expires || expires - issued > maxLifetimeSeconds) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_LIFETIME,
          "the authorization must expire after it is issued and within "
              + maxLifetimeSeconds
              + " seconds");
    }
    long t = now.getEpochSecond();
    long skew = BatchRules.CLOCK_SKEW.getSeconds();
    if (issued > t + skew) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_NOT_YET_VALID, "the authorization is not yet valid");
    }
    if (expires < t - skew) {
      throw new RuleViolation(Rule.AUTHORIZATION_EXPIRED, "the authorization has expired");
    }
    if (!Arrays.equals(a.getKeysDigest().toByteArray(), CanonicalEncoding.keySetDigest(keys))) {
      throw RuleViolation.field(
          Rule.AUTHORIZATION_KEYS_MISMATCH,
          "authorization.keys_digest",
          "does not match the uploaded keys");
    }
    return authority;
  }
}

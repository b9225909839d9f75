package org.fedtrace.node;

import io.grpc.stub.StreamObserver;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.proto.v1.UploadAuthorization;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Store;
import org.fedtrace.transport.Peer;
import org.fedtrace.upload.Authorizations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fedtrace.v1.Upload} service: the home side of the node. A diagnosed person's keys
 * enter the federation only here, only from the operator's own backend, and only with a valid,
 * unused authorization from a trusted health authority that covers exactly those keys. Accepted
 * keys are durable before the call returns; the {@link Batcher} publishes them.
 */
final class Uploads extends UploadGrpc.UploadImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(Uploads.class);

  private final String country;
  private final BatchRules rules;
  private final HealthAuthorities authorities;
  private final long maxLifetimeSeconds;
  private final int maxKeys;
  private final Store store;
  private final ExchangeLog log;
  private final NodeMetrics metrics;
  private final Lifecycle lifecycle;
  private final Clock clock;
  private final Runnable keysPending;

  Uploads(
      String country,
      BatchRules rules,
      HealthAuthorities authorities,
      long maxLifetimeSeconds,
      int maxKeys,
      Store store,
      ExchangeLog log,
      NodeMetrics metrics,
      Lifecycle lifecycle,
      Clock clock,
      Runnable keysPending) {
    this.country = country;
    this.rules = rules;
    this.authorities = authorities;
    this.maxLifetimeSeconds = maxLifetimeSeconds;
    this.maxKeys = maxKeys;
    this.store = store;
    this.log = log;
    this.metrics = metrics;
    this.lifecycle = lifecycle;
    this.clock = clock;
    this.keysPending = keysPending;
  }

  @Override
  public void uploadDiagnosisKeys(
      UploadDiagnosisKeysRequest request, StreamObserver<UploadDiagnosisKeysResponse> observer) {
    Unary.run("UploadDiagnosisKeys", metrics, observer, () -> upload(request));
  }

  private UploadDiagnosisKeysResponse upload(UploadDiagnosisKeysRequest request) {
    Peer peer = Peer.current();
    lifecycle.checkExchange();
    if (!peer.country().equals(country)) {
      throw new RuleViolation(
          Rule.UPLOAD_CALLER_COUNTRY,
          "uploads are accepted only from this node's own country " + country);
    }
    Instant now = clock.instant();
    List<DiagnosisKey> keys = request.getKeysList();
    if (keys.isEmpty()) {
      throw new RuleViolation(Rule.UPLOAD_NO_KEYS, "an upload holds at least one key");
    }
    if (keys.size() > maxKeys) {
      throw new RuleViolation(Rule.TOO_MANY_KEYS, "an upload holds at most " + maxKeys + " keys");
    }
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    rules.checkKeys(keys, "keys", now, bad);
    BatchRules.throwIfAny(bad);
    UploadAuthorization a = request.getAuthorization();
    HealthAuthorities.Authority authority = authorize(a, keys, now);
    if (!request.getNoticeCommitment().isEmpty() && request.getNoticeCommitment().size() != 32) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_MALFORMED, "notice_commitment must be empty or 32 bytes");
    }
    List<byte[]> serialized = new ArrayList<>(keys.size());
    for (DiagnosisKey k : keys) {
      serialized.add(k.toByteArray());
    }
    byte[] commitment =
        request.getNoticeCommitment().isEmpty()
            ? null
            : request.getNoticeCommitment().toByteArray();
    store.acceptUpload(
        a.getAuthorizationId().toByteArray(),
        a.getExpiresUnixSeconds(),
        now.getEpochSecond(),
        serialized,
        commitment);
    long index =
        log.record(
            ExchangeLog.Event.UPLOAD_AUTHORIZED,
            Authorizations.hash(a),
            country,
            "",
            keys.size(),
            "");
    metrics.batch(peer.name(), "upload", "accepted", "", keys.size());
    LOG.info(
        "event=upload_accepted keys={} authority=\"{}\" caller={}",
        keys.size(),
        authority.name(),
        peer.name());
    keysPending.run();
    return UploadDiagnosisKeysResponse.newBuilder()
        .setAcceptedKeys(keys.size())
        .setReceipt(LogReceipt.newBuilder().setLeafIndex(Math.max(0, index)))
        .build();
  }

  private HealthAuthorities.Authority authorize(
      UploadAuthorization a, List<DiagnosisKey> keys, Instant now) {
    if (a.getAuthorizationId().size() != 16
        || a.getHealthAuthorityKeyId().size() != 32
        || a.getKeysDigest().size() != 32
        || a.getSignature().size() != 64
        || !Countries.isCountryCode(a.getCountry())) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_MALFORMED,
          "the authorization is missing or malformed (id 16 bytes, key id 32, digest 32,"
              + " signature 64, country ISO 3166-1 alpha-2)");
    }
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
      throw new RuleViolation(
          Rule.AUTHORIZATION_SIGNATURE, "the authorization's signature does not verify");
    }
    long t = now.getEpochSecond();
    if (t > a.getExpiresUnixSeconds()
        || a.getIssuedUnixSeconds() > t + BatchRules.CLOCK_SKEW.getSeconds()) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_EXPIRED, "the authorization is expired or not yet valid");
    }
    if (a.getExpiresUnixSeconds() - a.getIssuedUnixSeconds() > maxLifetimeSeconds) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_LIFETIME,
          "the authorization's lifetime exceeds " + maxLifetimeSeconds + " seconds");
    }
    if (!Arrays.equals(a.getKeysDigest().toByteArray(), CanonicalEncoding.keySetDigest(keys))) {
      throw new RuleViolation(
          Rule.AUTHORIZATION_KEYS_MISMATCH, "the keys are not the ones the authorization covers");
    }
    return authority;
  }
}

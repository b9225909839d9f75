package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.UploadAuthorization;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;

/**
 * Spec §12: UploadDiagnosisKeys (feature {@code upload}). The caller is the kit's backend (the
 * node's own identity); authorizations are signed by the kit's health authority, which the node
 * trusts through its agreement or national trust list.
 */
public final class UploadCases extends CaseBase {
  public UploadCases(Session s) {
    super(s);
  }

  Credential backend() {
    return s.kit().backend().orElseThrow();
  }

  private Kit.HealthAuthority authority() {
    return s.kit().healthAuthority().orElseThrow();
  }

  /**
   * An authorization of {@code keys}: issued a minute ago, expiring in 30 minutes, edited by {@code
   * edit} before it is signed.
   */
  UploadAuthorization authorization(
      List<DiagnosisKey> keys, UnaryOperator<UploadAuthorization.Builder> edit) {
    long now = batches().now();
    UploadAuthorization unsigned =
        edit.apply(
                UploadAuthorization.newBuilder()
                    .setAuthorizationId(batches().random16())
                    .setCountry(authority().country())
                    .setHealthAuthorityKeyId(
                        ByteString.copyFrom(Canonical.sha256(authority().spki())))
                    .setIssuedUnixSeconds(now - 60)
                    .setExpiresUnixSeconds(now + 1800)
                    .setKeysDigest(ByteString.copyFrom(Canonical.sha256(Canonical.keySet(keys)))))
            .build();
    byte[] signature;
    try {
      signature = Ed25519.sign(authority().key(), Canonical.authorization(unsigned));
    } catch (IllegalArgumentException e) {
      signature = new byte[64];
    }
    return unsigned.toBuilder().setSignature(ByteString.copyFrom(signature)).build();
  }

  private UploadDiagnosisKeysRequest upload(UnaryOperator<UploadAuthorization.Builder> edit) {
    List<DiagnosisKey> keys = batches().keys(3);
    return UploadDiagnosisKeysRequest.newBuilder()
        .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
        .addAllKeys(keys)
        .setAuthorization(authorization(keys, edit))
        .build();
  }

  private Expect.Refusal refused(Status.Code code, String rule, UploadDiagnosisKeysRequest r) {
    return Expect.refused(code, rule, () -> s.upload(backend()).uploadDiagnosisKeys(r));
  }

  private void invalidAt(String rule, String field, UploadDiagnosisKeysRequest r) {
    refused(Status.Code.INVALID_ARGUMENT, rule, r).hasField(field, rule);
  }

  /**
   * R12.1: member A (another country than the node's) uploading a valid request gets
   * PERMISSION_DENIED. When it fails: the node lets foreign operators inject keys.
   */
  @Needs(Need.UPLOAD)
  public void R12_1_refusesCallerOfOtherCountry() {
    UploadDiagnosisKeysRequest r = upload(a -> a);
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R12.1", () -> s.upload(a().tls()).uploadDiagnosisKeys(r));
  }

  /** R12.2: no authorization; field path {@code authorization}. When it fails: null handling. */
  @Needs(Need.UPLOAD)
  public void R12_2_refusesRequestWithoutAuthorization() {
    invalidAt("R12.2", "authorization", upload(a -> a).toBuilder().clearAuthorization().build());
  }

  /** R12.3: no keys, and 65 keys (validly authorized); field path {@code keys}. */
  @Needs(Need.UPLOAD)
  public void R12_3_refusesNoneOrMoreThan64Keys() {
    List<DiagnosisKey> none = List.of();
    invalidAt(
        "R12.3",
        "keys",
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .setAuthorization(authorization(none, a -> a))
            .build());
    List<DiagnosisKey> many = batches().keys(65);
    invalidAt(
        "R12.3",
        "keys",
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(many)
            .setAuthorization(authorization(many, a -> a))
            .build());
  }

  /** R12.4: authorization_id of 15 bytes; path {@code authorization.authorization_id}. */
  @Needs(Need.UPLOAD)
  public void R12_4_refusesAuthorizationIdNot16Bytes() {
    invalidAt(
        "R12.4",
        "authorization.authorization_id",
        upload(a -> a.setAuthorizationId(batches().randomBytes(15))));
  }

  /** R12.5: country "de"; path {@code authorization.country}. */
  @Needs(Need.UPLOAD)
  public void R12_5_refusesMalformedCountry() {
    invalidAt(
        "R12.5",
        "authorization.country",
        upload(a -> a.setCountry(a.getCountry().toLowerCase(java.util.Locale.ROOT))));
  }

  /**
   * R12.6: health_authority_key_id of 31 bytes; path {@code authorization.health_authority_key_id}.
   */
  @Needs(Need.UPLOAD)
  public void R12_6_refusesKeyIdNot32Bytes() {
    invalidAt(
        "R12.6",
        "authorization.health_authority_key_id",
        upload(a -> a.setHealthAuthorityKeyId(a.getHealthAuthorityKeyId().substring(0, 31))));
  }

  /** R12.7: keys_digest of 31 bytes; path {@code authorization.keys_digest}. */
  @Needs(Need.UPLOAD)
  public void R12_7_refusesKeysDigestNot32Bytes() {
    invalidAt(
        "R12.7",
        "authorization.keys_digest",
        upload(a -> a.setKeysDigest(a.getKeysDigest().substring(0, 31))));
  }

  /** R12.8: an authorization signature of 63 bytes; path {@code authorization.signature}. */
  @Needs(Need.UPLOAD)
  public void R12_8_refusesSignatureNot64Bytes() {
    UploadDiagnosisKeysRequest r = upload(a -> a);
    UploadAuthorization cut =
        r.getAuthorization().toBuilder()
            .setSignature(r.getAuthorization().getSignature().substring(0, 63))
            .build();
    invalidAt("R12.8", "authorization.signature", r.toBuilder().setAuthorization(cut).build());
  }

  /** R12.9: a notice_commitment of 31 bytes; path {@code notice_commitment}. */
  @Needs(Need.UPLOAD)
  public void R12_9_refusesNoticeCommitmentNot32Bytes() {
    invalidAt(
        "R12.9",
        "notice_commitment",
        upload(a -> a).toBuilder().setNoticeCommitment(batches().randomBytes(31)).build());
  }

  /**
   * R12.10: an unknown field in the request (the empty path) and in the authorization (path {@code
   * authorization}). When it fails: unknown fields are dropped instead of refused.
   */
  @Needs(Need.UPLOAD)
  public void R12_10_refusesUnknownFields() {
    invalidAt("R12.10", "", upload(a -> a).toBuilder().setUnknownFields(unknownField()).build());
    UploadDiagnosisKeysRequest r = upload(a -> a);
    invalidAt(
        "R12.10",
        "authorization",
        r.toBuilder()
            .setAuthorization(r.getAuthorization().toBuilder().setUnknownFields(unknownField()))
            .build());
  }

  /**
   * R12.11: an authorization (validly signed) for member A's country. When it fails: the node
   * accepts authorizations for other countries.
   */
  @Needs(Need.UPLOAD)
  public void R12_11_refusesAuthorizationOfOtherCountry() {
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.11",
        upload(a -> a.setCountry(a().identity().country())));
  }

  /**
   * R12.12: a key id no health authority has. When it fails: the node does not look the key up in
   * its trusted authorities.
   */
  @Needs(Need.UPLOAD)
  public void R12_12_refusesUntrustedHealthAuthority() {
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.12",
        upload(a -> a.setHealthAuthorityKeyId(batches().randomBytes(32))));
  }

  /**
   * R12.13: an authorization whose signature has one bit flipped; path {@code
   * authorization.signature}. When it fails: the node does not verify the §5.5 encoding.
   */
  @Needs(Need.UPLOAD)
  public void R12_13_refusesBadAuthorizationSignature() {
    UploadDiagnosisKeysRequest r = upload(a -> a);
    byte[] sig = r.getAuthorization().getSignature().toByteArray();
    sig[10] ^= 1;
    invalidAt(
        "R12.13",
        "authorization.signature",
        r.toBuilder()
            .setAuthorization(
                r.getAuthorization().toBuilder().setSignature(ByteString.copyFrom(sig)))
            .build());
  }

  /**
   * R12.14: lifetimes of 3601 s and of 0 s (expires equal to issued), validly signed. When it
   * fails: the node accepts long-lived or empty authorizations.
   */
  @Needs(Need.UPLOAD)
  public void R12_14_refusesBadLifetime() {
    long now = batches().now();
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.14",
        upload(a -> a.setIssuedUnixSeconds(now - 60).setExpiresUnixSeconds(now - 60 + 3601)));
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.14",
        upload(a -> a.setIssuedUnixSeconds(now - 60).setExpiresUnixSeconds(now - 60)));
  }

  /** R12.15: issued 15 minutes ahead (beyond the 300 s skew). When it fails: future issuance. */
  @Needs(Need.UPLOAD)
  public void R12_15_refusesAuthorizationIssuedInFuture() {
    long now = batches().now();
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.15",
        upload(a -> a.setIssuedUnixSeconds(now + 900).setExpiresUnixSeconds(now + 1800)));
  }

  /** R12.16: expired 1000 s ago (beyond the 300 s skew). When it fails: expiry not checked. */
  @Needs(Need.UPLOAD)
  public void R12_16_refusesExpiredAuthorization() {
    long now = batches().now();
    refused(
        Status.Code.PERMISSION_DENIED,
        "R12.16",
        upload(a -> a.setIssuedUnixSeconds(now - 3000).setExpiresUnixSeconds(now - 1000)));
  }

  /**
   * R12.17: an authorization signed for other keys than those uploaded; path {@code
   * authorization.keys_digest}. When it fails: the node does not recompute the §5.4 digest.
   */
  @Needs(Need.UPLOAD)
  public void R12_17_refusesKeysNotMatchingDigest() {
    List<DiagnosisKey> other = batches().keys(3);
    UploadDiagnosisKeysRequest r = upload(a -> a);
    invalidAt(
        "R12.17",
        "authorization.keys_digest",
        r.toBuilder()
            .setAuthorization(
                authorization(
                    other, a -> a.setAuthorizationId(r.getAuthorization().getAuthorizationId())))
            .build());
  }

  /**
   * R12.18: the identical upload again gets ALREADY_EXISTS (the first was stored). When it fails:
   * authorizations can be replayed.
   */
  @Needs(Need.UPLOAD)
  public void R12_18_refusesReusedAuthorization() {
    UploadDiagnosisKeysRequest r = upload(a -> a);
    Expect.succeeds("a valid upload", () -> s.upload(backend()).uploadDiagnosisKeys(r));
    refused(Status.Code.ALREADY_EXISTS, "R12.18", r);
  }

  /**
   * R12.20: an authorization used once and expiring a minute later is still refused as used
   * (ALREADY_EXISTS) three minutes after the upload: inside the 300 s after its expiry where R12.16
   * does not refuse it yet, the node must still remember it. Needs a controlled node. When it
   * fails: the node forgets used authorization ids at expiry, so a replay in the skew window
   * succeeds.
   */
  @Needs({Need.UPLOAD, Need.CONTROLLED_NODE})
  public void R12_20_remembersUsedAuthorizationPastExpiry() throws Exception {
    try (ControlledNodes.ControlledNode node = s.target().controlledNodes().orElseThrow().start();
        Session cs = new Session(node.target())) {
      UploadCases c = new UploadCases(cs);
      long now = cs.batches().now();
      List<DiagnosisKey> keys = cs.batches().keys(2);
      UploadDiagnosisKeysRequest r =
          UploadDiagnosisKeysRequest.newBuilder()
              .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
              .addAllKeys(keys)
              .setAuthorization(
                  c.authorization(
                      keys, a -> a.setIssuedUnixSeconds(now - 60).setExpiresUnixSeconds(now + 60)))
              .build();
      Expect.succeeds("a valid upload", () -> cs.upload(c.backend()).uploadDiagnosisKeys(r));
      node.advanceClock(java.time.Duration.ofMinutes(3));
      c.refused(Status.Code.ALREADY_EXISTS, "R12.18", r);
    }
  }

  /**
   * R12.19: a valid upload of 5 keys answers OK with accepted_keys 5. When it fails: the node
   * counts something else, or refuses a valid upload.
   */
  @Needs(Need.UPLOAD)
  public void R12_19_acceptsValidUpload() {
    List<DiagnosisKey> keys = batches().keys(5);
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(keys)
            .setAuthorization(authorization(keys, a -> a))
            .setNoticeCommitment(batches().randomBytes(32))
            .build();
    UploadDiagnosisKeysResponse response =
        Expect.succeeds("a valid upload", () -> s.upload(backend()).uploadDiagnosisKeys(r));
    Expect.equal(5, response.getAcceptedKeys(), "R12.19 accepted_keys");
  }

  /**
   * R4.2 for uploads: a key with rolling_period 0; path {@code keys[1].rolling_period} (key rules
   * apply to uploads with paths from the upload request). When it fails: uploads skip key rules.
   */
  @Needs(Need.UPLOAD)
  public void R4_2_uploadRefusesRollingPeriodOutOfRange() {
    List<DiagnosisKey> keys = new java.util.ArrayList<>(batches().keys(3));
    keys.set(1, keys.get(1).toBuilder().setRollingPeriod(0).build());
    invalidAt(
        "R4.2",
        "keys[1].rolling_period",
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(keys)
            .setAuthorization(authorization(keys, a -> a))
            .build());
  }
}

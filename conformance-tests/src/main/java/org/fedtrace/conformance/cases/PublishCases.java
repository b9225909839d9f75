package org.fedtrace.conformance.cases;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * Spec §8.2, R8.1–R8.19: the checks of a received batch before its signature. Each case sends, as
 * member A, a batch that breaks exactly one rule (signed by the origin wherever the encoding can
 * represent the batch) and expects the rule's code and field path.
 */
public final class PublishCases extends CaseBase {
  /**
   * A signing certificate whose Ed25519 key is an empty BIT STRING, among other damage: the JDK's
   * X.509 parser threw ArrayIndexOutOfBoundsException on it (found by fuzzing), which a node must
   * still answer with R8.11, not INTERNAL.
   */
  private static final String BROKEN_SIGNER_HEX =
      "308201cf30820174a00302010202104525c9b965db5f9e0e0c7ce0b790a460300a06082a8648ce3d"
          + "04030230243122302006035504030c197465737420466564657261746869744120756e6f6f726974"
          + "79301e170d3236313230313131303030305a170d3237313133303132303030305a302d310b300906"
          + "0355040613024445310e300c060355040a0c056f702d6465310e300c06035504030c056f702d6465"
          + "302a300506032b6570030100f409df53b3d7fd69c94315898440c1f0411d03e0e240f44542de149c"
          + "f002553ca381ad3081aa300c0603551d130101ff04023000300e0603551d0f0101ff0404030206c0"
          + "351f0603551d250418301606146983c3d7eda2dec4aa8b95b4fa999bfbfad68c5e30290603551d11"
          + "04223020861e75726e3a66656474722163653a6f70657261746f723a44453a6f702d6465301d0603"
          + "551d0e04160414a669161e713aee271d943b12d382635326c2dc0b301f0603551d23041830168014"
          + "77f6346d72403a1261e30c9f50892ca7b74afe7b300a06082a8648ce3d0403020349003046022100"
          + "c81698c1bd5286cb35742a7819ea25235b2826825d0c48582ae58cd5356960210221009306c3f996"
          + "b20d8c1751074af5753f85e3029a4dab73aee325a5fe52d4ec389a";

  public PublishCases(Session s) {
    super(s);
  }

  private void invalidAt(String rule, String field, DiagnosisKeyBatch b) {
    publishRefused(Status.Code.INVALID_ARGUMENT, rule, b).hasField(field, rule);
  }

  /** R8.1: a request without batch; field path {@code batch}. When it fails: null handling. */
  public void R8_1_refusesRequestWithoutBatch() {
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.1",
            () -> s.federation(a().tls()).publishBatch(PublishBatchRequest.getDefaultInstance()))
        .hasField("batch", "R8.1");
  }

  /**
   * R8.2: format_version 3 (signed over its encoding) gets FAILED_PRECONDITION; so does 0. When it
   * fails: the node interprets formats it does not know.
   */
  public void R8_2_refusesUnknownFormatVersion() {
    publishRefused(
        Status.Code.FAILED_PRECONDITION, "R8.2", sign(unsigned(a(), 2).setFormatVersion(3), a()));
    publishRefused(
        Status.Code.FAILED_PRECONDITION, "R8.2", sign(unsigned(a(), 2).setFormatVersion(0), a()));
  }

  /**
   * R8.3: one key more than max_keys_per_batch gets RESOURCE_EXHAUSTED. When it fails: the node
   * enforces no limit, or another one than it declares.
   */
  @Slow
  public void R8_3_refusesMoreKeysThanMax() {
    long max = Integer.toUnsignedLong(s.info().getMaxKeysPerBatch());
    if (max > 50_000) {
      throw new Skipped("max_keys_per_batch " + max + " is too large to exceed in a test");
    }
    publishRefused(Status.Code.RESOURCE_EXHAUSTED, "R8.3", valid(a(), (int) max + 1));
  }

  /** R8.4: batch_id of 15 and of 17 bytes. When it fails: the length check is missing. */
  public void R8_4_refusesBatchIdNot16Bytes() {
    for (int n : new int[] {15, 17}) {
      invalidAt(
          "R8.4",
          "batch.batch_id",
          sign(unsigned(a(), 1).setBatchId(batches().randomBytes(n)), a()));
    }
  }

  /** R8.5: origin "xa" (lower case) and "XAB". When it fails: the syntax check is missing. */
  public void R8_5_refusesMalformedOrigin() {
    String cc = a().identity().country();
    for (String origin : new String[] {cc.toLowerCase(java.util.Locale.ROOT), cc + "B"}) {
      invalidAt("R8.5", "batch.origin", sign(unsigned(a(), 1).setOrigin(origin), a()));
    }
  }

  /** R8.6: sequence 0, signed. When it fails: the node accepts sequence 0. */
  public void R8_6_refusesSequenceZero() {
    invalidAt("R8.6", "batch.sequence", sign(unsigned(a(), 1).setSequence(0), a()));
  }

  /**
   * R8.7: created_unix_seconds one hour ahead (beyond the 300 s skew), signed. When it fails: the
   * node accepts batches from the future.
   */
  public void R8_7_refusesCreatedInFuture() {
    long t = batches().now() + 3600;
    invalidAt(
        "R8.7", "batch.created_unix_seconds", sign(unsigned(a(), 1).setCreatedUnixSeconds(t), a()));
  }

  /**
   * R8.8: created_unix_seconds an hour before now − retention_days × 86400 (keys valid), signed.
   * When it fails: the node does not bound a batch's age by the agreement's retention.
   */
  public void R8_8_refusesCreatedBeforeRetentionWindow() {
    long t = batches().now() - (long) s.info().getRetentionDays() * 86_400 - 3600;
    invalidAt(
        "R8.8", "batch.created_unix_seconds", sign(unsigned(a(), 1).setCreatedUnixSeconds(t), a()));
  }

  /** R8.9: a batch without keys; field path {@code batch.keys}. When it fails: empty batches. */
  public void R8_9_refusesBatchWithoutKeys() {
    invalidAt("R8.9", "batch.keys", sign(unsigned(a(), 1).clearKeys(), a()));
  }

  /**
   * R8.10: signatures of 63 and 65 bytes (the valid signature shortened or extended). When it
   * fails: the node does not check the length before verifying.
   */
  public void R8_10_refusesSignatureNot64Bytes() {
    DiagnosisKeyBatch good = valid(a(), 1);
    ByteString sig = good.getSignature();
    invalidAt(
        "R8.10", "batch.signature", good.toBuilder().setSignature(sig.substring(0, 63)).build());
    invalidAt(
        "R8.10",
        "batch.signature",
        good.toBuilder().setSignature(sig.concat(ByteString.copyFrom(new byte[1]))).build());
  }

  /**
   * R8.11: a signer_certificate of garbage bytes, and one of two certificates concatenated. When it
   * fails: the node parses leniently, or only the first of several certificates.
   */
  public void R8_11_refusesSignerCertificateNotOneDerCertificate() {
    DiagnosisKeyBatch good = valid(a(), 1);
    invalidAt(
        "R8.11",
        "batch.signer_certificate",
        good.toBuilder().setSignerCertificate(batches().randomBytes(300)).build());
    invalidAt(
        "R8.11",
        "batch.signer_certificate",
        good.toBuilder()
            .setSignerCertificate(good.getSignerCertificate().concat(good.getSignerCertificate()))
            .build());
    invalidAt(
        "R8.11",
        "batch.signer_certificate",
        good.toBuilder()
            .setSignerCertificate(
                ByteString.copyFrom(java.util.HexFormat.of().parseHex(BROKEN_SIGNER_HEX)))
            .build());
  }

  /**
   * R8.12: a request with an unknown field (path: the request itself, the empty path) and a batch
   * with one (path {@code batch}), both otherwise valid. When it fails: the node drops unknown
   * fields instead of refusing them.
   */
  public void R8_12_refusesUnknownFields() {
    DiagnosisKeyBatch good = valid(a(), 1);
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R8.12",
            () ->
                s.federation(a().tls())
                    .publishBatch(
                        request(good).toBuilder().setUnknownFields(unknownField()).build()))
        .hasField("", "R8.12");
    invalidAt("R8.12", "batch", good.toBuilder().setUnknownFields(unknownField()).build());
  }

  /**
   * R8.13: a batch whose origin is a well-formed country that is no member's. When it fails: the
   * node does not check the origin against the agreement.
   */
  public void R8_13_refusesOriginNotAMember() {
    String origin = nonMemberCountry();
    publishRefused(
        Status.Code.PERMISSION_DENIED, "R8.13", sign(unsigned(a(), 1).setOrigin(origin), a()));
  }

  /**
   * R8.14: a batch signed with a certificate and key of another authority of the same name (member
   * A's identity). When it fails: the node trusts signer certificates it cannot chain to the
   * configured federation authority.
   */
  public void R8_14_refusesSignerFromForeignAuthority() {
    publishRefused(
        Status.Code.PERMISSION_DENIED, "R8.14", sign(unsigned(a(), 1), s.kit().foreignCa()));
  }

  /**
   * R8.15: a signing certificate of the authority without an identity URI; INVALID_ARGUMENT at
   * {@code batch.signer_certificate}. When it fails: the node takes identity from elsewhere (CN,
   * subject) or skips the check.
   */
  public void R8_15_refusesSignerWithoutIdentity() {
    invalidAt("R8.15", "batch.signer_certificate", sign(unsigned(a(), 1), s.kit().noIdentity()));
  }

  /**
   * R8.16: member A's TLS certificate as signer_certificate (signature by A's signing key). When it
   * fails: the node does not require the batch-signing purpose and an Ed25519 key.
   */
  public void R8_16_refusesTlsCertificateAsSigner() {
    DiagnosisKeyBatch.Builder b = unsigned(a(), 1);
    DiagnosisKeyBatch signed = sign(b, a());
    publishRefused(
        Status.Code.PERMISSION_DENIED,
        "R8.16",
        signed.toBuilder().setSignerCertificate(ByteString.copyFrom(a().tls().der())).build());
  }

  /**
   * R8.17: a batch signed with member A's identity under a signing certificate that expired a day
   * ago. When it fails: the node does not check the signer certificate's validity at now.
   */
  public void R8_17_refusesExpiredSigner() {
    publishRefused(
        Status.Code.PERMISSION_DENIED, "R8.17", sign(unsigned(a(), 1), s.kit().expired()));
  }

  /**
   * R8.18: a batch of member A's country signed by a valid certificate of a non-member operator of
   * that country. When it fails: the node checks the signer's country, not its whole identity.
   */
  public void R8_18_refusesSignerNotAMember() {
    Kit.Operator nonMember = s.kit().nonMember();
    DiagnosisKeyBatch.Builder b =
        batches().batch(nonMember.identity().country(), batches().keys(1));
    publishRefused(Status.Code.PERMISSION_DENIED, "R8.18", sign(b, nonMember));
  }

  /**
   * R8.19: a batch with origin B signed by member A is refused; a batch of origin A forwarded by
   * member B is accepted (any member may forward). When it fails: the node does not compare origin
   * with the signer's country, or compares it with the TLS sender instead.
   */
  public void R8_19_rejectsOriginNotSignerCountry() {
    DiagnosisKeyBatch spoofed = sign(unsigned(a(), 1).setOrigin(b().identity().country()), a());
    publishRefused(Status.Code.PERMISSION_DENIED, "R8.19", spoofed);
    DiagnosisKeyBatch forwarded = valid(a(), 1);
    PublishBatchResponse r = publish(b().tls(), forwarded);
    Expect.check(!r.getDuplicate(), "a new forwarded batch was reported as duplicate");
  }

  /** A well-formed country code that no member of the agreement has. */
  private String nonMemberCountry() {
    Set<String> members = new HashSet<>();
    members.add(a().identity().country());
    members.add(b().identity().country());
    s.kit().node().ifPresent(n -> members.add(n.country()));
    s.kit()
        .agreement()
        .ifPresent(
            bytes -> {
              for (JsonElement m :
                  JsonParser.parseString(new String(bytes, StandardCharsets.UTF_8))
                      .getAsJsonObject()
                      .getAsJsonArray("members")) {
                members.add(m.getAsJsonObject().get("country").getAsString());
              }
            });
    for (char c = 'Z'; c >= 'M'; c--) {
      String code = "Q" + c;
      if (!members.contains(code)) {
        return code;
      }
    }
    throw new IllegalStateException("every code QM..QZ is a member country");
  }
}

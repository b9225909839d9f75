package org.fedtrace.conformance.cases;

import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * spec §26.2 at a node whose country has a second member: the regional pass (spec/conformance.md
 * §6.4), in which the node runs the kit's regional agreement. It lists the kit's sibling, a second
 * member of the node's country, so the node's origin is its country, a hyphen and its operator id.
 * The sibling is a member of the node's country and yet not the node: these cases check that the
 * node treats it as another origin for batches and as a stranger for its uploads, notice and
 * matching.
 */
public final class RegionalNodeCases extends OperatorMatchingCaseBase {
  public RegionalNodeCases(Session s) {
    super(s);
  }

  private Kit.Operator sibling() {
    return s.kit().sibling().orElseThrow();
  }

  /** The node's member origin (§26.2). */
  private String nodeOrigin() {
    return s.info().getNode().getCountry() + "-" + s.info().getNode().getOperatorId();
  }

  private UploadDiagnosisKeysRequest upload(List<DiagnosisKey> keys) {
    return UploadDiagnosisKeysRequest.newBuilder()
        .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
        .addAllKeys(keys)
        .setAuthorization(new UploadCases(s).authorization(keys, a -> a))
        .build();
  }

  /**
   * R26.9 and R26.11 at the origin: after an upload by the backend (and two companion uploads),
   * member B subscribed to the node receives the node's batch holding the upload's key with origin
   * {@code CC-operator-id} of the node's identity, never the bare country, signed with the node's
   * certificate over the member-batch encoding of §26.2. When it fails: the node signs its batches
   * under its country while the agreement lists another member of it, or over the §5.3 layout.
   */
  @Needs({Need.REGIONAL_NODE, Need.UPLOAD, Need.SUBSCRIBE})
  public void R26_9_signsOwnBatchesWithItsMemberOrigin() throws Exception {
    List<DiagnosisKeyBatch> own = new ArrayList<>();
    List<DiagnosisKey> keys = batches().keys(2);
    try (Subscriber sub = Subscriber.open(s, b().tls(), s.head(b().tls()), 120)) {
      Expect.succeeds(
          "an upload by the node's backend",
          () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(upload(keys)));
      OriginCases.companionUploads(s);
      if (!OriginCases.awaitBatchWith(sub, nodeOrigin(), keys.get(0).getKeyData(), own)) {
        throw new Skipped(
            "the node published no batch of origin "
                + nodeOrigin()
                + " within "
                + OriginCases.WAIT.toSeconds()
                + " s of an upload (R26.9 fails too if it signs them as "
                + s.info().getNode().getCountry()
                + ")");
      }
    }
    DiagnosisKeyBatch b = own.get(own.size() - 1);
    java.security.cert.X509Certificate cert =
        (java.security.cert.X509Certificate)
            java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(b.getSignerCertificate().newInput());
    Identity signer = Identity.of(cert).orElseThrow(() -> new AssertionError("R5.1: no identity"));
    Expect.equal(
        s.info().getNode().getCountry() + "/" + s.info().getNode().getOperatorId(),
        signer.toString(),
        "R26.9 signer of the node's batch");
    byte[] spki = cert.getPublicKey().getEncoded();
    byte[] raw = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    Expect.check(
        Ed25519.verify(raw, Canonical.batch(b), b.getSignature().toByteArray()),
        "R26.11: the node's batch does not verify over the member-batch encoding of §26.2");
  }

  /**
   * R26.12: the sibling uploading a valid upload: PERMISSION_DENIED by R26.12; the node's backend
   * uploading the same kind of upload: accepted. When it fails: another member of the country can
   * put keys into this member's batches.
   */
  @Needs({Need.REGIONAL_NODE, Need.UPLOAD})
  public void R26_12_acceptsUploadsOnlyFromItsOwnBackend() {
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.12",
        () -> s.upload(sibling().tls()).uploadDiagnosisKeys(upload(batches().keys(1))));
    Expect.succeeds(
        "an upload by the node's backend",
        () ->
            s.upload(s.kit().backend().orElseThrow())
                .uploadDiagnosisKeys(upload(batches().keys(1))));
  }

  /**
   * R26.14: the sibling asking QueryKeyDestinations with a 32-byte secret: PERMISSION_DENIED by
   * R26.14; the backend asking with the same secret, which no upload has: PERMISSION_DENIED by
   * R14.3, past R26.14. When it fails: another member of the country learns where this member's
   * uploads went.
   */
  @Needs({Need.REGIONAL_NODE, Need.NOTICE, Need.UPLOAD})
  public void R26_14_answersNoticeOnlyToItsOwnBackend() {
    QueryKeyDestinationsRequest q =
        QueryKeyDestinationsRequest.newBuilder().setNoticeSecret(batches().randomBytes(32)).build();
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.14",
        () -> s.notice(sibling().tls()).queryKeyDestinations(q));
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R14.3",
        () -> s.notice(s.kit().backend().orElseThrow()).queryKeyDestinations(q));
  }

  /**
   * R26.15: the sibling depositing a valid observation and asking for a device's exposures:
   * PERMISSION_DENIED by R26.15 both; the backend asking for the same device: OK. When it fails:
   * another member of the country reads or fills this member's subscribers' matching.
   */
  @Needs({Need.REGIONAL_NODE, Need.OPERATOR_MATCHING})
  public void R26_15_servesMatchingOnlyToItsOwnBackend() {
    com.google.protobuf.ByteString device = batches().random16();
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.15",
        () ->
            s.operatorMatching(sibling().tls())
                .depositObservations(deposit(device, List.of(valid()))));
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.15",
        () -> s.operatorMatching(sibling().tls()).getExposures(ask(device)));
    Expect.succeeds(
        "GetExposures by the node's backend",
        () -> s.operatorMatching(backend()).getExposures(ask(device)));
  }

  /**
   * R26.13 (with R8.36) and R26.10: the sibling publishing a batch of its own origin, which shares
   * the node's country: stored and served; a batch of the node's origin signed with the node's own
   * batch-signing certificate (the kit's backend signer) and published by member A:
   * PERMISSION_DENIED by R8.36; a batch of the node's origin signed by the sibling:
   * PERMISSION_DENIED by R26.10. When it fails: the node refuses the batches of its country rather
   * than of its origin, or lets another member of its country sign for it.
   */
  @Needs({Need.REGIONAL_NODE, Need.UPLOAD})
  public void R26_13_takesBatchesOfAnotherMemberOfItsCountry() {
    Kit.Operator sib = sibling();
    DiagnosisKeyBatch ofSibling =
        sign(batches().batch(RegionalMemberCases.originOf(sib), batches().keys(2)), sib);
    publish(sib.tls(), ofSibling);
    assertServed(ofSibling);
    Kit.Operator self =
        s.kit()
            .backendSigner()
            .orElseThrow(() -> new Skipped("the kit has no batch-signing credential of the node"));
    DiagnosisKeyBatch ofNode = sign(batches().batch(nodeOrigin(), batches().keys(2)), self);
    publishRefused(Status.Code.PERMISSION_DENIED, "R8.36", ofNode);
    DiagnosisKeyBatch forNode = sign(batches().batch(nodeOrigin(), batches().keys(2)), sib);
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R26.10",
        () -> s.federation(sib.tls()).publishBatch(request(forNode)));
  }
}

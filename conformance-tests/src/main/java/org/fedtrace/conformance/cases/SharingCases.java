package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.List;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * Spec §25, sharing policy: consent at upload, scopes in separate signed batches, the agreement's
 * bilateral terms, interest filters. The origin cases share one {@link SharingObservation}.
 */
public final class SharingCases extends CaseBase {
  public SharingCases(Session s) {
    super(s);
  }

  private SharingObservation seen() {
    return SharingObservation.of(s);
  }

  /**
   * R25.1: keys uploaded without a consent are in none of the node's own batches up to the one
   * holding keys uploaded after them with consent FEDERATE. When it fails: the node takes silence
   * for consent.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R25_1_keepsAnUploadWithoutConsentDomestic() {
    for (DiagnosisKey k : seen().unstated()) {
      Expect.check(seen().batchWith(k) == null, "R25.1: a key uploaded without consent left");
    }
  }

  /** R25.2: an upload with consent 7 gets INVALID_ARGUMENT at {@code sharing}. */
  @Needs(Need.UPLOAD)
  public void R25_2_refusesAnUnknownConsent() {
    List<DiagnosisKey> keys = batches().keys(1);
    UploadDiagnosisKeysRequest r = upload(keys).setSharingValue(7).build();
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R25.2",
            () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r))
        .hasField("sharing", "R25.2");
  }

  /**
   * R25.3: a traveller whose keys list no visited country, and a traveller without consent to
   * federate, get INVALID_ARGUMENT at {@code traveller}.
   */
  @Needs(Need.UPLOAD)
  public void R25_3_refusesATravellerWhoCannotTravel() {
    for (boolean consent : List.of(true, false)) {
      List<DiagnosisKey> keys = consent ? batches().keys(1) : visited(batches().keys(1));
      UploadDiagnosisKeysRequest.Builder b = upload(keys).setTraveller(true);
      if (!consent) {
        b.setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY);
      }
      UploadDiagnosisKeysRequest r = b.build();
      Expect.refused(
              Status.Code.INVALID_ARGUMENT,
              "R25.3",
              () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r))
          .hasField("traveller", "R25.3");
    }
  }

  /**
   * R25.4: keys uploaded with consent DOMESTIC_ONLY are in none of the node's own batches up to the
   * one holding keys uploaded after them with consent FEDERATE. When it fails: domestic-only keys
   * cross the border.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R25_4_putsNoDomesticOnlyKeyInABatch() {
    for (DiagnosisKey k : seen().domestic()) {
      Expect.check(seen().batchWith(k) == null, "R25.4: a domestic-only key left the country");
    }
  }

  /**
   * R25.5: the traveller's keys come in a format-2 TRAVELLER batch without the marker keys, whose
   * signature verifies over the suite's §5.3 encoding; the marker keys come in a FEDERATE batch
   * (format 1, or format 2 with FEDERATE) without the traveller's keys.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  @Covers("R25.7")
  public void R25_5_keepsScopesInSeparateBatches() {
    DiagnosisKeyBatch t = seen().batchWith(seen().traveller().get(0));
    DiagnosisKeyBatch m = seen().batchWith(seen().marker().get(0));
    Expect.equal(2, t.getFormatVersion(), "R25.5 format_version of the traveller batch");
    Expect.equal(BatchScope.BATCH_SCOPE_TRAVELLER, t.getScope(), "R25.5 scope");
    Expect.check(!holds(t, seen().marker().get(0)), "R25.5: a FEDERATE key in a TRAVELLER batch");
    Expect.check(holds(t, seen().traveller().get(1)), "R25.5: the traveller's keys were split");
    Expect.check(
        m.getScope() == BatchScope.BATCH_SCOPE_FEDERATE
            || m.getFormatVersion() == 1 && m.getScope() == BatchScope.BATCH_SCOPE_UNSPECIFIED,
        "R25.5: the marker's batch is not FEDERATE");
    Expect.check(
        !holds(m, seen().traveller().get(0)), "R25.5: a traveller key in a FEDERATE batch");
    Expect.check(
        org.fedtrace.conformance.wire.Ed25519.verify(
            signerKey(t), Canonical.batch(t), t.getSignature().toByteArray()),
        "R25.5: the TRAVELLER batch does not verify over the §5.3 format-2 encoding");
  }

  /** The raw Ed25519 public key of {@code b}'s signer certificate. */
  private static byte[] signerKey(DiagnosisKeyBatch b) {
    try {
      byte[] spki =
          java.security.cert.CertificateFactory.getInstance("X.509")
              .generateCertificate(b.getSignerCertificate().newInput())
              .getPublicKey()
              .getEncoded();
      return java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    } catch (java.security.cert.CertificateException e) {
      throw new AssertionError("R25.5: the signer certificate does not parse", e);
    }
  }

  /** R25.6: a format-1 batch of member A with scope FEDERATE gets INVALID_ARGUMENT at scope. */
  public void R25_6_refusesAScopeInFormat1() {
    DiagnosisKeyBatch b = sign(unsigned(a(), 2).setScope(BatchScope.BATCH_SCOPE_FEDERATE), a());
    publishRefused(Status.Code.INVALID_ARGUMENT, "R25.6", b).hasField("batch.scope", "R25.6");
  }

  /**
   * R25.7: a format-2 batch of member A without a scope, or with scope 3, gets INVALID_ARGUMENT at
   * scope; with scope TRAVELLER it is stored and served unchanged.
   */
  public void R25_7_acceptsFormat2OnlyWithAScope() {
    for (int scope : List.of(0, 3)) {
      DiagnosisKeyBatch b = sign(unsigned(a(), 2).setFormatVersion(2).setScopeValue(scope), a());
      publishRefused(Status.Code.INVALID_ARGUMENT, "R25.7", b).hasField("batch.scope", "R25.7");
    }
    DiagnosisKeyBatch ok = traveller(a());
    publish(a().tls(), ok);
    assertServed(ok);
  }

  /**
   * R25.9: member B publishing a TRAVELLER batch of its own country gets PERMISSION_DENIED (the
   * kit's terms let B send the node FEDERATE batches only); a FEDERATE batch of B is stored.
   */
  @Needs(Need.SHARING_TERMS)
  public void R25_9_refusesABatchOutsideTheSharingTerms() {
    DiagnosisKeyBatch t = traveller(b());
    Expect.refused(
        Status.Code.PERMISSION_DENIED,
        "R25.9",
        () -> s.federation(b().tls()).publishBatch(request(t)));
    publish(b().tls(), valid(b(), 2));
  }

  /**
   * R25.10: the node's TRAVELLER batch that member B received is not among what member A pulls from
   * its head before the uploads (the kit's terms let the node send A FEDERATE batches only), while
   * the FEDERATE batch of the marker is.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE, Need.SHARING_TERMS})
  public void R25_10_servesNoBatchOutsideTheSharingTerms() {
    List<ByteString> pulled = pulledIds(a().tls(), seen().headOfA());
    DiagnosisKeyBatch t = seen().batchWith(seen().traveller().get(0));
    DiagnosisKeyBatch m = seen().batchWith(seen().marker().get(0));
    Expect.check(pulled.contains(m.getBatchId()), "R25.10: A did not get the FEDERATE batch");
    Expect.check(!pulled.contains(t.getBatchId()), "R25.10: A was served a TRAVELLER batch");
  }

  /** R25.11: member A fetching the node's TRAVELLER batch by GetBatch gets PERMISSION_DENIED. */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE, Need.SHARING_TERMS})
  public void R25_11_refusesGetBatchOutsideTheSharingTerms() {
    DiagnosisKeyBatch t = seen().batchWith(seen().traveller().get(0));
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R25.11", () -> s.federation(a().tls()).getBatch(get(t)));
    assertServed(t); // member B may have it
  }

  /** R25.12: origins not ascending, or not two letters, get INVALID_ARGUMENT at origins. */
  public void R25_12_refusesAMalformedOriginsFilter() {
    for (List<String> origins : List.of(List.of("ZZ", "AA"), List.of("de"), List.of("AA", "AA"))) {
      PullBatchesRequest r = PullBatchesRequest.newBuilder().addAllOrigins(origins).build();
      Expect.refused(
              Status.Code.INVALID_ARGUMENT, "R25.12", () -> s.federation(b().tls()).pullBatches(r))
          .hasField("origins", "R25.12");
    }
  }

  /**
   * R25.13: member A publishes a FEDERATE and a TRAVELLER batch; member B pulls from its head
   * before them, with origins = [A] (gets both, in order, nothing else), with origins = [A] and
   * travellers_only (gets the TRAVELLER one), and subscribes with the same filter (its first batch
   * is the TRAVELLER one).
   */
  @Needs(Need.SUBSCRIBE)
  public void R25_13_filtersExactly() throws InterruptedException {
    ByteString head = s.head(b().tls());
    DiagnosisKeyBatch f = valid(a(), 2);
    DiagnosisKeyBatch t = traveller(a());
    publish(a().tls(), f);
    publish(a().tls(), t);
    String origin = a().identity().country();
    Expect.equal(
        List.of(f.getBatchId(), t.getBatchId()),
        pulled(PullBatchesRequest.newBuilder().setCursor(head).addOrigins(origin)),
        "R25.13 batches of origin " + origin);
    Expect.equal(
        List.of(t.getBatchId()),
        pulled(
            PullBatchesRequest.newBuilder()
                .setCursor(head)
                .addOrigins(origin)
                .setTravellersOnly(true)),
        "R25.13 TRAVELLER batches of origin " + origin);
    SubscribeBatchesRequest r =
        SubscribeBatchesRequest.newBuilder()
            .setCursor(head)
            .addOrigins(origin)
            .setTravellersOnly(true)
            .build();
    try (Subscriber sub = Subscriber.open(s, b().tls(), r, 30)) {
      Subscriber.Item i = sub.next(java.time.Duration.ofSeconds(15));
      Expect.check(i != null && i.message().hasBatch(), "R25.13: the stream sent no batch");
      Expect.equal(t.getBatchId(), i.message().getBatch().getBatchId(), "R25.13 first batch");
    }
  }

  private List<ByteString> pulled(PullBatchesRequest.Builder r) {
    List<ByteString> out = new java.util.ArrayList<>();
    for (int page = 0; page < 1000; page++) {
      PullBatchesResponse p = s.federation(b().tls()).pullBatches(r.build());
      p.getBatchesList().forEach(x -> out.add(x.getBatchId()));
      if (p.getCaughtUp()) {
        return out;
      }
      r.setCursor(p.getNextCursor());
    }
    throw new AssertionError("PullBatches never caught up");
  }

  /** A valid format-2 TRAVELLER batch of {@code origin}'s country, signed by it. */
  private DiagnosisKeyBatch traveller(org.fedtrace.conformance.kit.Kit.Operator origin) {
    return sign(
        unsigned(origin, visited(batches().keys(2)))
            .setFormatVersion(2)
            .setScope(BatchScope.BATCH_SCOPE_TRAVELLER),
        origin);
  }

  private List<DiagnosisKey> visited(List<DiagnosisKey> keys) {
    String country = b().identity().country();
    return keys.stream().map(k -> k.toBuilder().addVisitedCountries(country).build()).toList();
  }

  private UploadDiagnosisKeysRequest.Builder upload(List<DiagnosisKey> keys) {
    return UploadDiagnosisKeysRequest.newBuilder()
        .addAllKeys(keys)
        .setAuthorization(new UploadCases(s).authorization(keys, a -> a))
        .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE);
  }

  private static boolean holds(DiagnosisKeyBatch b, DiagnosisKey key) {
    return b.getKeysList().stream().anyMatch(k -> k.getKeyData().equals(key.getKeyData()));
  }
}

package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.SharingConsent;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * What the suite saw of consent and scope at the node as origin (spec §25.1, §25.2), observed once
 * per run: the backend uploads, in this order, keys with consent DOMESTIC_ONLY, keys without a
 * consent, the keys of a traveller (visited: member B's country) and marker keys with consent
 * FEDERATE, then two companion uploads of each scope; member B, subscribed from its head, collects
 * the node's own batches until one holds the traveller's keys and one the marker's. The node
 * batches its pending keys in upload order, so a domestic-only key it federated would be in one of
 * those batches or an earlier one.
 *
 * @param domestic the keys uploaded DOMESTIC_ONLY
 * @param unstated the keys uploaded without a consent
 * @param traveller the traveller's keys
 * @param marker the keys uploaded FEDERATE
 * @param own every own batch B received, in order
 * @param headOfA member A's cursor before the uploads
 */
record SharingObservation(
    List<DiagnosisKey> domestic,
    List<DiagnosisKey> unstated,
    List<DiagnosisKey> traveller,
    List<DiagnosisKey> marker,
    List<DiagnosisKeyBatch> own,
    ByteString headOfA) {

  /** The observation of this session; skips when the node publishes nothing in time. */
  static SharingObservation of(Session s) {
    Object o = s.shared("sharing-observation", () -> observe(s));
    if (o instanceof String skip) {
      throw new Skipped(skip);
    }
    return (SharingObservation) o;
  }

  /** The own batch holding {@code key}, or null. */
  DiagnosisKeyBatch batchWith(DiagnosisKey key) {
    for (DiagnosisKeyBatch b : own) {
      if (b.getKeysList().stream().anyMatch(k -> k.getKeyData().equals(key.getKeyData()))) {
        return b;
      }
    }
    return null;
  }

  private static Object observe(Session s) {
    if (OriginCases.noOwnBatch(s).isPresent()) {
      return OriginCases.noOwnBatch(s).get();
    }
    String visited = s.kit().memberB().identity().country();
    List<DiagnosisKey> domestic = s.batches().keys(2);
    List<DiagnosisKey> unstated = s.batches().keys(2);
    List<DiagnosisKey> traveller = travellerKeys(s, 2, visited);
    List<DiagnosisKey> marker = s.batches().keys(2);
    ByteString headOfA = s.head(s.kit().memberA().tls());
    List<DiagnosisKeyBatch> own = new ArrayList<>();
    String country = s.info().getNode().getCountry();
    try (Subscriber sub =
        Subscriber.open(s, s.kit().memberB().tls(), s.head(s.kit().memberB().tls()), 120)) {
      upload(s, domestic, SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY, false);
      upload(s, unstated, SharingConsent.SHARING_CONSENT_UNSPECIFIED, false);
      upload(s, traveller, SharingConsent.SHARING_CONSENT_FEDERATE, true);
      upload(s, marker, SharingConsent.SHARING_CONSENT_FEDERATE, false);
      OriginCases.companionUploads(s);
      for (int i = 0; i < 2; i++) { // a node that mixes uploads (R21.15) mixes travellers too
        upload(s, travellerKeys(s, 1, visited), SharingConsent.SHARING_CONSENT_FEDERATE, true);
      }
      for (DiagnosisKey awaited : List.of(traveller.get(0), marker.get(0))) {
        if (holds(own, awaited)) {
          continue;
        }
        if (!OriginCases.awaitBatchWith(sub, country, awaited.getKeyData(), own)) {
          return OriginCases.ownBatchTimedOut(s);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new SharingObservation(domestic, unstated, traveller, marker, List.copyOf(own), headOfA);
  }

  private static List<DiagnosisKey> travellerKeys(Session s, int n, String visited) {
    List<DiagnosisKey> out = new ArrayList<>();
    for (DiagnosisKey k : s.batches().keys(n)) {
      out.add(k.toBuilder().addVisitedCountries(visited).build());
    }
    return out;
  }

  private static boolean holds(List<DiagnosisKeyBatch> own, DiagnosisKey key) {
    return own.stream()
        .anyMatch(
            b -> b.getKeysList().stream().anyMatch(k -> k.getKeyData().equals(key.getKeyData())));
  }

  private static void upload(
      Session s, List<DiagnosisKey> keys, SharingConsent sharing, boolean traveller) {
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .addAllKeys(keys)
            .setAuthorization(new UploadCases(s).authorization(keys, a -> a))
            .setSharing(sharing)
            .setTraveller(traveller)
            .build();
    Expect.succeeds(
        "an upload with consent " + sharing,
        () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
  }
}

package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysResponse;

/**
 * One delivery of the node's own batch, observed once per run: the suite uploads two keys as the
 * node's backend with a notice commitment (the SHA-256 of a fresh secret), and member B, subscribed
 * from its head, waits for the node's batch holding them, as {@link OriginCases} does (and skips at
 * once when a wait of the origin cases already timed out). The log and notice cases then look for
 * the node's record of that delivery.
 *
 * @param secret the notice secret of the upload
 * @param upload the upload's answer (with its receipt)
 * @param batch the node's own batch holding the upload's keys, as B received it
 * @param cursorBefore B's cursor before the upload: pulling from it delivers the batch again
 */
record OwnDelivery(
    ByteString secret,
    UploadDiagnosisKeysResponse upload,
    DiagnosisKeyBatch batch,
    ByteString cursorBefore) {

  /** The delivery, observed once per session; skips when the node publishes nothing in time. */
  static OwnDelivery of(Session s) {
    Object o = s.shared("own-delivery", () -> observe(s));
    if (o instanceof String skip) {
      throw new Skipped(skip);
    }
    return (OwnDelivery) o;
  }

  /** The batch's content hash. */
  byte[] contentHash() {
    return Canonical.contentHash(batch);
  }

  /** The upload's notice commitment. */
  byte[] commitment() {
    return Canonical.sha256(secret.toByteArray());
  }

  private static Object observe(Session s) {
    if (OriginCases.noOwnBatch(s).isPresent()) {
      return OriginCases.noOwnBatch(s).get();
    }
    UploadCases uploads = new UploadCases(s);
    String country = s.info().getNode().getCountry();
    ByteString secret = s.batches().randomBytes(32);
    List<DiagnosisKey> keys = s.batches().keys(2);
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addAllKeys(keys)
            .setAuthorization(uploads.authorization(keys, a -> a))
            .setNoticeCommitment(ByteString.copyFrom(Canonical.sha256(secret.toByteArray())))
            .build();
    ByteString before = s.head(s.kit().memberB().tls());
    List<DiagnosisKeyBatch> own = new ArrayList<>();
    UploadDiagnosisKeysResponse answer;
    try (Subscriber sub = Subscriber.open(s, s.kit().memberB().tls(), before, 120)) {
      answer =
          Expect.succeeds(
              "an upload with a notice commitment",
              () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
      OriginCases.companionUploads(s);
      if (!OriginCases.awaitBatchWith(sub, country, keys.get(0).getKeyData(), own)) {
        return OriginCases.ownBatchTimedOut(s);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new OwnDelivery(secret, answer, own.get(own.size() - 1), before);
  }
}

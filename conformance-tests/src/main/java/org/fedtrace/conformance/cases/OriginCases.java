package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.kit.KitWriter;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * The node as an origin (spec §5.7, §8.3, §21.4): the suite uploads keys as the node's backend,
 * then watches, as member B, the batches the node signs of its own country and checks them with its
 * own encoder and Ed25519, so a defect in the node's signing cannot hide behind the same code
 * verifying it. Needs {@code upload} and {@code subscribe}; when the node publishes no batch within
 * {@link #WAIT} of an upload (its batch age may be longer), the cases are skipped.
 */
public final class OriginCases extends CaseBase {
  /** How long the suite waits for the node to publish a batch of an upload. */
  static final Duration WAIT = Duration.ofSeconds(15);

  /**
   * Session key of the reason a wait for an own batch timed out: later observations skip at once
   * instead of waiting again for a node whose batch age is longer than {@link #WAIT}.
   */
  static final String NO_OWN_BATCH = "no-own-batch";

  /** Why the suite gave up waiting for own batches in this session, if it did. */
  static java.util.Optional<String> noOwnBatch(Session s) {
    return s.recall(NO_OWN_BATCH).map(String.class::cast);
  }

  /** Records that a wait for an own batch timed out; returns the reason. */
  static String ownBatchTimedOut(Session s) {
    return s.shared(
        NO_OWN_BATCH,
        () ->
            "the node published no batch of its own within "
                + WAIT.toSeconds()
                + " s of an upload (its batch age may be longer)");
  }

  /**
   * What the suite saw of the node as origin: its own batches, in order, around two uploads.
   *
   * @param seenAt when the last was received (Unix seconds)
   * @param skip why nothing could be seen, or null
   */
  record Observation(List<DiagnosisKeyBatch> batches, long seenAt, String skip) {}

  public OriginCases(Session s) {
    super(s);
  }

  private Observation observation() {
    Observation o = s.shared("origin-batches", this::observe);
    if (o.skip() != null) {
      throw new Skipped(o.skip());
    }
    return o;
  }

  private List<DiagnosisKeyBatch> own() {
    return observation().batches();
  }

  /**
   * Uploads two keys (and two companion uploads) twice, each time waiting for the node's batch
   * holding them.
   */
  private Observation observe() {
    if (noOwnBatch(s).isPresent()) {
      return new Observation(List.of(), 0, noOwnBatch(s).get());
    }
    String country = s.info().getNode().getCountry();
    UploadCases uploads = new UploadCases(s);
    List<DiagnosisKeyBatch> own = new ArrayList<>();
    try (Subscriber sub = Subscriber.open(s, b().tls(), s.head(b().tls()), 120)) {
      for (int round = 0; round < 2; round++) {
        List<DiagnosisKey> keys = batches().keys(2);
        UploadDiagnosisKeysRequest r =
            UploadDiagnosisKeysRequest.newBuilder()
                .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
                .addAllKeys(keys)
                .setAuthorization(uploads.authorization(keys, a -> a))
                .build();
        Expect.succeeds(
            "a valid upload",
            () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
        companionUploads(s);
        if (!awaitBatchWith(sub, country, keys.get(0).getKeyData(), own)) {
          return new Observation(List.of(), 0, ownBatchTimedOut(s));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new Observation(List.copyOf(own), batches().now(), null);
  }

  /**
   * Two more uploads of one key each, made right after the upload whose batch the suite waits for:
   * a node that closes a batch by age only once it mixes several uploads (R21.14; R21.15 recommends
   * at least 3) then holds enough to publish within {@link #WAIT}.
   */
  static void companionUploads(Session s) {
    UploadCases uploads = new UploadCases(s);
    for (int i = 0; i < 2; i++) {
      List<DiagnosisKey> keys = s.batches().keys(1);
      UploadDiagnosisKeysRequest r =
          UploadDiagnosisKeysRequest.newBuilder()
              .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
              .addAllKeys(keys)
              .setAuthorization(uploads.authorization(keys, a -> a))
              .build();
      Expect.succeeds(
          "a companion upload",
          () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
    }
  }

  /** Collects own batches into {@code own} until one holds {@code keyData}; false on timeout. */
  static boolean awaitBatchWith(
      Subscriber sub, String country, ByteString keyData, List<DiagnosisKeyBatch> own)
      throws InterruptedException {
    long until = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Subscriber.Item i = sub.next(Duration.ofNanos(until - System.nanoTime()));
      if (i == null) {
        return false;
      }
      if (i.end() != null) {
        throw new AssertionError("the subscription ended: " + Expect.describe(i.end()));
      }
      DiagnosisKeyBatch b = i.message().getBatch();
      if (i.message().hasBatch() && b.getOrigin().equals(country)) {
        own.add(b);
        if (b.getKeysList().stream().anyMatch(k -> k.getKeyData().equals(keyData))) {
          return true;
        }
      }
    }
  }

  /**
   * R5.1: the node's own batches carry a signature that verifies, under the key of their
   * signer_certificate, over the suite's §5.3 encoding of the batch as received; the certificate
   * names the node (origin = its country) and is a batch-signing certificate. When it fails: the
   * node signs other bytes than the spec's encoding, or with another key.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R5_1_signsOwnBatchesOverTheEncoding() throws CertificateException {
    for (DiagnosisKeyBatch b : own()) {
      X509Certificate cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(b.getSignerCertificate().newInput());
      Identity id = Identity.of(cert).orElseThrow(() -> new AssertionError("R5.1: no identity"));
      Expect.equal(b.getOrigin(), id.country(), "R5.1 origin versus the signer's country");
      List<String> eku = cert.getExtendedKeyUsage();
      Expect.equal(List.of(KitWriter.BATCH_SIGNING_OID), eku, "R5.1 signer's extended key usage");
      byte[] spki = cert.getPublicKey().getEncoded();
      byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
      Expect.check(
          Ed25519.verify(raw, Canonical.batch(b), b.getSignature().toByteArray()),
          "R5.1: the node's batch " + b.getSequence() + " does not verify over the §5.3 encoding");
    }
  }

  /**
   * R8.27: the node's own batches observed one after another carry consecutive sequence numbers.
   * When it fails: the node skips or reuses sequence numbers.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_27_numbersOwnBatchesWithoutGaps() {
    List<DiagnosisKeyBatch> own = own();
    for (int i = 1; i < own.size(); i++) {
      Expect.equal(
          own.get(i - 1).getSequence() + 1, own.get(i).getSequence(), "R8.27 next sequence");
    }
  }

  /**
   * R8.28: created_unix_seconds of an own batch lies within 300 s of when the suite received it (it
   * is created when signed, shortly after the upload). When it fails: the node dates batches by
   * upload, by key, or in another unit.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_28_datesOwnBatchesWhenSigned() {
    Observation o = observation();
    for (DiagnosisKeyBatch b : o.batches()) {
      long skew = Math.abs(b.getCreatedUnixSeconds() - o.seenAt());
      Expect.check(skew <= 300, "R8.28: created_unix_seconds is " + skew + " s off");
    }
  }

  /** R8.30: an own batch holds at most 10,000 keys. When it fails: batches are not capped. */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_30_capsOwnBatches() {
    for (DiagnosisKeyBatch b : own()) {
      Expect.check(b.getKeysCount() <= 10_000, "R8.30: " + b.getKeysCount() + " keys");
    }
  }

  /** R8.31: no two keys of an own batch share key_data. When it fails: padding or merging bug. */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_31_putsNoRepeatedKeyInOwnBatches() {
    for (DiagnosisKeyBatch b : own()) {
      Set<ByteString> seen = new HashSet<>();
      for (DiagnosisKey k : b.getKeysList()) {
        Expect.check(seen.add(k.getKeyData()), "R8.31: a key_data appears twice");
      }
    }
  }

  /**
   * R8.32: an own batch lists its keys in the order of their sorted §5.3 key records, not in upload
   * order. When it fails: the node leaks which keys were uploaded together.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_32_sendsOwnKeysInSortedOrder() {
    for (DiagnosisKeyBatch b : own()) {
      List<byte[]> records = new ArrayList<>();
      for (DiagnosisKey k : b.getKeysList()) {
        records.add(Canonical.keyRecord(k));
      }
      for (int i = 1; i < records.size(); i++) {
        Expect.check(
            Arrays.compareUnsigned(records.get(i - 1), records.get(i)) < 0,
            "R8.32: keys " + (i - 1) + " and " + i + " are not in sorted record order");
      }
    }
  }

  /**
   * R21.16 and R21.17: an own batch made from an upload of two keys holds at least 64 keys (padded
   * to min_batch_keys, which is at least 64). When it fails: the node sends small batches that tell
   * peers how many people uploaded.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  @Covers("R21.17")
  public void R21_16_padsOwnBatches() {
    for (DiagnosisKeyBatch b : own()) {
      Expect.check(
          b.getKeysCount() >= 64,
          "R21.16: an own batch of " + b.getKeysCount() + " keys (at least 64 expected)");
    }
  }

  /**
   * R8.35: the backend uploads a key K, then K as REVOKED under a second authorization, then a
   * marker key M; member B collects the node's own batches until one holds M and, past it, until
   * one holds K as REVOKED (at most 15 s each). Asserts that the last copy of K the node sent is
   * the REVOKED one. When it fails: the node keeps the first upload of a key in a batch and drops
   * the acknowledged revocation that arrived while the key waited.
   */
  @Needs({Need.UPLOAD, Need.SUBSCRIBE})
  public void R8_35_ownBatchesCarryARevocationUploadedWhileTheKeyWaits()
      throws InterruptedException {
    if (noOwnBatch(s).isPresent()) {
      throw new Skipped(noOwnBatch(s).get());
    }
    String country = s.info().getNode().getCountry();
    DiagnosisKey k = batches().keys(1).get(0);
    DiagnosisKey revoked = k.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
    DiagnosisKey marker = batches().keys(1).get(0);
    List<DiagnosisKeyBatch> own = new ArrayList<>();
    try (Subscriber sub = Subscriber.open(s, b().tls(), s.head(b().tls()), 120)) {
      for (DiagnosisKey key : List.of(k, revoked, marker)) {
        uploadOne(key);
      }
      companionUploads(s);
      if (!awaitBatchWith(sub, country, marker.getKeyData(), own)) {
        throw new Skipped(ownBatchTimedOut(s));
      }
      if (lastCopy(own, k) != ReportType.REPORT_TYPE_REVOKED) {
        awaitBatchWith(sub, country, k.getKeyData(), own);
      }
    }
    Expect.equal(
        ReportType.REPORT_TYPE_REVOKED,
        lastCopy(own, k),
        "R8.35 report type of the last copy of a key uploaded again as REVOKED");
  }

  private void uploadOne(DiagnosisKey key) {
    UploadCases uploads = new UploadCases(s);
    UploadDiagnosisKeysRequest r =
        UploadDiagnosisKeysRequest.newBuilder()
            .setSharing(org.fedtrace.proto.v1.SharingConsent.SHARING_CONSENT_FEDERATE)
            .addKeys(key)
            .setAuthorization(uploads.authorization(List.of(key), a -> a))
            .build();
    Expect.succeeds(
        "a valid upload", () -> s.upload(s.kit().backend().orElseThrow()).uploadDiagnosisKeys(r));
  }

  /** The report type of the last copy of {@code key} in {@code own}, or null when none holds it. */
  private static ReportType lastCopy(List<DiagnosisKeyBatch> own, DiagnosisKey key) {
    ReportType last = null;
    for (DiagnosisKeyBatch b : own) {
      for (DiagnosisKey x : b.getKeysList()) {
        if (x.getKeyData().equals(key.getKeyData())) {
          last = x.getReportType();
        }
      }
    }
    return last;
  }
}

package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.fedtrace.node.Refusals.violations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.export.ExportPolicy;
import org.fedtrace.export.Exporter;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.SharingConsent;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §25 across real nodes: consent at upload, scopes in separate signed batches, and the
 * agreement's bilateral terms, refused both ways.
 */
class SharingPolicyTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  @Test
  void aDomesticOnlyUploadNeverLeavesTheCountry() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "DE", "FR", "BE")) {
      for (String c : List.of("DE", "FR", "BE")) {
        f.startNode(c);
      }
      f.follow("FR", "DE");
      f.follow("BE", "DE");
      TestBatches batches = new TestBatches(11, clock.instant());
      List<DiagnosisKey> domestic = batches.keys(3, 3);
      List<DiagnosisKey> unstated = batches.keys(2, 2);
      List<DiagnosisKey> federate = batches.keys(2, 2);
      f.upload(f.node("DE"), consent(f, domestic, SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY));
      // R25.1: an upload that says nothing is domestic-only
      assertEquals(
          2,
          f.upload(f.node("DE"), consent(f, unstated, SharingConsent.SHARING_CONSENT_UNSPECIFIED))
              .getAcceptedKeys());
      f.upload("DE", federate);
      f.node("DE").publishDue(true); // the batcher may have published some of them already

      for (String c : List.of("FR", "BE")) {
        f.await(WAIT, () -> held(f.node(c), "DE").size() == 1, c + " holds DE's batch");
        Set<ByteString> there = keyData(held(f.node(c), "DE"));
        assertTrue(there.containsAll(keyData(federate)), "the federate keys reach " + c);
        for (DiagnosisKey k : concat(domestic, unstated)) {
          assertFalse(there.contains(k.getKeyData()), "a domestic-only key reached " + c);
        }
      }
      List<StoredBatch> own = f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE"));
      assertEquals(1, own.size(), "DE signed one batch");
      ByteString hash = ByteString.copyFrom(own.get(0).contentSha256().bytes());
      // DE's log: the batch it created and sent is that batch, and no other batch was created
      List<LogEntry> log =
          f.node("DE")
              .transparencyLog()
              .entries(0, f.node("DE").transparencyLog().checkpointSize() + 1000);
      int created = 0;
      for (LogEntry e : log) {
        if (e.getEventType() == EventType.EVENT_TYPE_BATCH_CREATED
            || e.getEventType() == EventType.EVENT_TYPE_BATCH_SENT) {
          assertEquals(hash, e.getSubjectSha256(), "a logged batch other than the federate one");
          created += e.getEventType() == EventType.EVENT_TYPE_BATCH_CREATED ? 1 : 0;
        }
      }
      assertEquals(1, created);
      assertEquals(
          3,
          log.stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED)
              .count(),
          "every upload is logged, the domestic ones too");

      // R25.14: the domestic-only keys still reach DE's own phones, through DE's export, and
      // through no export of a peer
      long later = clock.instant().getEpochSecond() + 3 * 86_400;
      Set<ByteString> home = exported(f.node("DE"), "DE", later, dir.resolve("de-exports"));
      assertTrue(home.containsAll(keyData(concat(domestic, unstated))), "at home");
      assertTrue(home.containsAll(keyData(federate)));
      for (String c : List.of("FR", "BE")) {
        Set<ByteString> abroad = exported(f.node(c), c, later, dir.resolve(c + "-exports"));
        assertTrue(abroad.containsAll(keyData(federate)), c + " exports DE's federate keys");
        for (DiagnosisKey k : concat(domestic, unstated)) {
          assertFalse(abroad.contains(k.getKeyData()), "a domestic-only key in " + c + "'s export");
        }
      }
    }
  }

  /** The key data in every file an exporter of node {@code n}, whose origin is home, writes. */
  private static Set<ByteString> exported(Node n, String home, long now, Path out)
      throws Exception {
    KeyPair key = CertificateKeyType.ECDSA_P256.generate(new SecureRandom());
    GaenExportWriter writer =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("262", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(key.getPrivate(), bin));
    new Exporter(
            n.store(),
            new ExportPolicy(7_200, 140, 1_000, "ALL", 14),
            writer,
            out,
            new SecureRandom(),
            home)
        .run(now);
    Set<ByteString> keys = new HashSet<>();
    try (Stream<Path> files = Files.walk(out)) {
      for (Path zip : files.filter(p -> p.toString().endsWith(".zip")).toList()) {
        GaenExport.read(zip).keys().forEach(k -> keys.add(k.getKeyData()));
      }
    }
    return keys;
  }

  @Test
  void travellerKeysGoOutInASignedTravellerBatchOfTheirOwn() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "DE", "FR")) {
      f.startNode("DE");
      f.startNode("FR");
      f.follow("FR", "DE");
      TestBatches batches = new TestBatches(12, clock.instant());
      List<DiagnosisKey> home = batches.keys(2, 2);
      List<DiagnosisKey> travel = visited(batches.keys(2, 2), "FR");
      f.upload("DE", home);
      f.upload(f.node("DE"), traveller(f, travel));
      f.node("DE").publishDue(true);
      assertEquals(2, held(f.node("DE"), "DE").size(), "one batch per scope");
      f.await(WAIT, () -> held(f.node("FR"), "DE").size() == 2, "FR holds both of DE's batches");
      for (DiagnosisKeyBatch b : held(f.node("FR"), "DE")) {
        Set<ByteString> keys = keyData(List.of(b));
        if (b.getFormatVersion() == CanonicalEncoding.FORMAT_VERSION_SCOPED) {
          assertEquals(BatchScope.BATCH_SCOPE_TRAVELLER, b.getScope());
          assertTrue(keys.containsAll(keyData(travel)));
          assertFalse(keys.contains(home.get(0).getKeyData()), "a home key in a traveller batch");
          // padding copies the travellers' metadata: every key of the batch lists FR
          assertTrue(b.getKeysList().stream().allMatch(k -> k.getVisitedCountriesCount() > 0));
        } else {
          assertEquals(CanonicalEncoding.FORMAT_VERSION, b.getFormatVersion());
          assertEquals(BatchScope.BATCH_SCOPE_UNSPECIFIED, b.getScope());
          assertTrue(keys.containsAll(keyData(home)));
          assertFalse(keys.contains(travel.get(0).getKeyData()), "a traveller key in a home batch");
        }
      }
    }
  }

  @Test
  void anUploadWithAnUnknownConsentOrATravellerWhoDidNotTravelIsRefused() throws Exception {
    Clock clock = Clock.systemUTC();
    try (TestFederation f = TestFederation.create(dir, clock, "DE")) {
      f.startNode("DE");
      TestBatches batches = new TestBatches(13, clock.instant());
      UploadDiagnosisKeysRequest unknown =
          f.authorizedUpload("DE", batches.keys(1, 1)).toBuilder().setSharingValue(7).build();
      var e = refused(Status.Code.INVALID_ARGUMENT, () -> f.upload(f.node("DE"), unknown));
      assertEquals(
          List.of("sharing | R25.2: must be absent, DOMESTIC_ONLY (1) or FEDERATE (2), got 7"),
          violations(e));
      UploadDiagnosisKeysRequest stayedHome =
          f.authorizedUpload("DE", batches.keys(1, 1)).toBuilder().setTraveller(true).build();
      e = refused(Status.Code.INVALID_ARGUMENT, () -> f.upload(f.node("DE"), stayedHome));
      assertEquals(
          List.of("traveller | R25.3: needs sharing FEDERATE and visited_countries on a key"),
          violations(e));
      UploadDiagnosisKeysRequest domesticTraveller =
          traveller(f, visited(batches.keys(1, 1), "FR")).toBuilder()
              .setSharing(SharingConsent.SHARING_CONSENT_DOMESTIC_ONLY)
              .build();
      refused(Status.Code.INVALID_ARGUMENT, () -> f.upload(f.node("DE"), domesticTraveller));
    }
  }

  @Test
  void aPairOutsideTheBilateralTermsIsRefusedBothWays() throws Exception {
    Clock clock = Clock.systemUTC();
    BatchScope fed = BatchScope.BATCH_SCOPE_FEDERATE;
    BatchScope trav = BatchScope.BATCH_SCOPE_TRAVELLER;
    // DE sends FR federate batches only; FR sends DE nothing; BE and DE share everything
    SharingTerms terms =
        new SharingTerms(
            List.of(
                new SharingTerms.Grant("BE", "DE", Set.of(fed, trav)),
                new SharingTerms.Grant("DE", "BE", Set.of(fed, trav)),
                new SharingTerms.Grant("DE", "FR", Set.of(fed))),
            true);
    try (TestFederation f =
        TestFederation.create(dir, clock, "BE", "DE", "FR").withSharing(terms)) {
      f.startNode("DE");
      f.startNode("FR");
      TestBatches batches = new TestBatches(14, clock.instant());
      f.upload("DE", batches.keys(2, 2));
      f.upload(f.node("DE"), traveller(f, visited(batches.keys(2, 2), "FR")));
      f.node("DE").publishDue(true);
      DiagnosisKeyBatch travellerBatch =
          held(f.node("DE"), "DE").stream()
              .filter(b -> b.getScope() == trav)
              .findFirst()
              .orElseThrow();

      // DE to FR: the pull serves the federate batch only, GetBatch refuses the traveller one
      var pulled = f.federation("DE", "FR").pullBatches(PullBatchesRequest.getDefaultInstance());
      assertEquals(1, pulled.getBatchesCount());
      assertEquals(BatchScope.BATCH_SCOPE_UNSPECIFIED, pulled.getBatches(0).getScope());
      assertTrue(pulled.getCaughtUp());
      assertEquals(
          2,
          f.federation("DE", "BE")
              .pullBatches(PullBatchesRequest.getDefaultInstance())
              .getBatchesCount());
      refused(
          Status.Code.PERMISSION_DENIED,
          "R25.11: the agreement's sharing terms do not let this batch go to FR",
          () ->
              f.federation("DE", "FR")
                  .getBatch(
                      GetBatchRequest.newBuilder()
                          .setOrigin("DE")
                          .setBatchId(travellerBatch.getBatchId())
                          .build()));
      // ... and FR refuses DE's traveller batch, even forwarded by BE
      refused(
          Status.Code.PERMISSION_DENIED,
          "R25.9: the agreement's sharing terms do not let DE send traveller batches to FR",
          () ->
              f.federation("FR", "BE")
                  .publishBatch(PublishBatchRequest.newBuilder().setBatch(travellerBatch).build()));

      // FR to DE: nothing at all
      DiagnosisKeyBatch fromFr =
          org.fedtrace.testing.Signatures.sign(
              batches.batch("FR", 1, batches.keys(2, 2)), f.credentials("FR").signing());
      refused(
          Status.Code.PERMISSION_DENIED,
          "R25.9: the agreement's sharing terms do not let FR send federate batches to DE",
          () ->
              f.federation("DE", "FR")
                  .publishBatch(PublishBatchRequest.newBuilder().setBatch(fromFr).build()));
      assertTrue(
          f
              .node("DE")
              .transparencyLog()
              .entries(0, f.node("DE").transparencyLog().checkpointSize() + 1000)
              .stream()
              .anyMatch(
                  e ->
                      e.getEventType() == EventType.EVENT_TYPE_BATCH_REFUSED
                          && e.getReason().equals("R25.9")),
          "DE logs the refusal with its rule");
    }
  }

  static UploadDiagnosisKeysRequest consent(
      TestFederation f, List<DiagnosisKey> keys, SharingConsent sharing) {
    return f.authorizedUpload("DE", keys).toBuilder().setSharing(sharing).build();
  }

  static UploadDiagnosisKeysRequest traveller(TestFederation f, List<DiagnosisKey> keys) {
    return f.authorizedUpload("DE", keys).toBuilder().setTraveller(true).build();
  }

  static List<DiagnosisKey> visited(List<DiagnosisKey> keys, String country) {
    return keys.stream().map(k -> k.toBuilder().addVisitedCountries(country).build()).toList();
  }

  static List<DiagnosisKeyBatch> held(Node n, String origin) {
    return n.store().read(tx -> tx.batches().ofOrigin(origin)).stream()
        .map(b -> TestBatches.parse(b.payload()))
        .toList();
  }

  private static Set<ByteString> keyData(List<?> batchesOrKeys) {
    Set<ByteString> out = new HashSet<>();
    for (Object o : batchesOrKeys) {
      if (o instanceof DiagnosisKeyBatch b) {
        b.getKeysList().forEach(k -> out.add(k.getKeyData()));
      } else {
        out.add(((DiagnosisKey) o).getKeyData());
      }
    }
    return out;
  }

  private static List<DiagnosisKey> concat(List<DiagnosisKey> a, List<DiagnosisKey> b) {
    List<DiagnosisKey> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}

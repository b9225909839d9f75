package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.testing.SharedData;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.LogStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys of the real exports in ../shared (Google's key server's test export and the Exposure
 * Notification internals' sample) imported into a node's store as batches of its country, signed,
 * padded and logged as imported (spec §24.5). The node's clock stands an hour after each export's
 * window, when its keys were within retention.
 */
class KeyImportTest {
  private static final String SAMPLES = "gaen-export-samples/";

  @TempDir Path tmp;

  private static List<DiagnosisKey> confirmed(GaenExport e) {
    return e.keys().stream()
        .map(k -> k.toBuilder().setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST).build())
        .toList();
  }

  @Test
  void theKeyServersSignedTestExportBecomesASignedPaddedBatchLoggedAsImported() throws Exception {
    Path zip = SharedData.require(SAMPLES + "google-en-server-testExport-2-records-1-of-1.zip");
    Path pem = SharedData.require(SAMPLES + "google-en-server-example-public.pem");
    GaenExport export = GaenExport.read(zip);
    export.verify(CertificateKeys.ecdsaP256PublicKey(Pem.readPublicKeyInfo(pem)));
    Clock clock =
        Clock.fixed(Instant.ofEpochSecond(export.endUnixSeconds() + 3_600), ZoneOffset.UTC);
    Path config;
    TestFederation f = TestFederation.create(tmp.resolve("fed"), clock, "DE", "FR");
    config = f.configure("DE");
    f.close();
    List<DiagnosisKey> keys = confirmed(export);

    KeyImport.Result r;
    try (KeyImport i = KeyImport.open(NodeConfig.load(config), clock)) {
      assertEquals(List.of(), i.check(keys));
      r = i.store(keys, "us-google-ks");
    }

    assertEquals(List.of(1L), r.sequences());
    assertEquals(2, r.keys());
    assertEquals(62, r.padding());
    try (SqliteStore s = SqliteStore.open(config.resolveSibling("data"))) {
      List<StoredBatch> own = s.read(tx -> tx.batches().ofOrigin("DE"));
      assertEquals(1, own.size());
      DiagnosisKeyBatch b = DiagnosisKeyBatch.parseFrom(own.get(0).payload());
      assertEquals(64, b.getKeysCount());
      for (DiagnosisKey k : keys) {
        assertTrue(b.getKeysList().contains(k), "imported key missing: " + k);
      }
      BatchSigner.verify(
          b,
          CertificateKeys.verifyingKeyFromSpki(
              CertificateKeys.certificateFromDer(b.getSignerCertificate().toByteArray())
                  .getPublicKey()
                  .getEncoded()));
      List<LogStore.Leaf> leaves = s.read(tx -> tx.log().leaves(0, tx.log().size()));
      LogEntry e = LogEntries.decode(leaves.get(leaves.size() - 1).bytes(), 0);
      assertEquals(EventType.EVENT_TYPE_BATCH_IMPORTED, e.getEventType());
      assertEquals("us-google-ks", e.getReason());
      assertEquals("DE", e.getOrigin());
      assertEquals(64, e.getKeyCount());
    }
  }

  @Test
  void theInternalsSampleOf140KeysIsOneBatchWithoutPaddingAndABadSourceIsRefused()
      throws Exception {
    Path zip = SharedData.require(SAMPLES + "google-en-internals-sample_diagnosis_key_file.zip");
    GaenExport export = GaenExport.read(zip);
    Clock clock =
        Clock.fixed(Instant.ofEpochSecond(export.endUnixSeconds() + 3_600), ZoneOffset.UTC);
    Path config;
    TestFederation f = TestFederation.create(tmp.resolve("fed"), clock, "FR");
    config = f.configure("FR");
    f.close();
    try (KeyImport i = KeyImport.open(NodeConfig.load(config), clock)) {
      List<DiagnosisKey> keys = confirmed(export);
      assertFalse(i.check(export.keys()).isEmpty(), "keys without report type pass R4.5");
      assertEquals(List.of(), i.check(keys));
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> i.store(keys, "us internals"));
      assertTrue(bad.getMessage().startsWith("the source must be 1 to 16"), bad.getMessage());
      KeyImport.Result r = i.store(keys, "us-internals");
      assertEquals(140, r.keys());
      assertEquals(0, r.padding());
      assertEquals(List.of(1L), r.sequences());
    }
  }
}

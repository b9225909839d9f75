package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * Reads real key exports written by the Exposure Notification servers (../shared/
 * gaen-export-samples, provided in CI): the export's own ECDSA signature verifies, and its keys
 * pass fedtrace's key rules at the time they were exported.
 */
class GaenExportTest {
  private static final String SAMPLES = "gaen-export-samples/";

  private static PublicKey exampleServerKey() throws IOException {
    return CertificateKeys.ecdsaP256PublicKey(
        Pem.readPublicKeyInfo(SharedData.require(SAMPLES + "google-en-server-example-public.pem")));
  }

  @Test
  void readsTheServersTwoKeyExportAndItsSignatureVerifies() throws Exception {
    GaenExport e =
        GaenExport.read(
            SharedData.require(SAMPLES + "google-en-server-testExport-2-records-1-of-1.zip"));

    assertEquals(2, e.keys().size());
    assertEquals(1, e.batchNumber());
    assertEquals(1, e.batchSize());
    assertEquals("US", e.region());
    assertEquals(1, e.signatures().size());
    e.verify(exampleServerKey());
    for (DiagnosisKey k : e.keys()) {
      assertEquals(16, k.getKeyData().size());
      assertTrue(k.getRollingPeriod() >= 1 && k.getRollingPeriod() <= 144);
    }
  }

  @Test
  void aChangedByteBreaksTheSignature() throws Exception {
    GaenExport e =
        GaenExport.read(
            SharedData.require(SAMPLES + "google-en-server-testExport-2-records-1-of-1.zip"));
    byte[] bin = e.exportBin().clone();
    bin[bin.length - 1] ^= 1;
    GaenExport tampered =
        new GaenExport(
            e.region(), e.window(), e.batchNumber(), e.batchSize(), e.keys(), bin, e.signatures());

    SignatureException x =
        assertThrows(SignatureException.class, () -> tampered.verify(exampleServerKey()));
    assertEquals("no signature of the export verifies under the given key", x.getMessage());
  }

  @Test
  void theKeysOfTheAppsSampleFilePassFedtracesKeyRulesWhenItWasExported() throws Exception {
    Path zip = SharedData.require(SAMPLES + "google-en-internals-sample_diagnosis_key_file.zip");
    GaenExport e = GaenExport.read(zip);

    assertEquals(140, e.keys().size());
    // judged at the end of the export's window, with the usual 14 days of retention
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    new BatchRules(14, 10_000)
        .checkKeys(e.keys(), "keys", Instant.ofEpochSecond(e.endUnixSeconds()), bad);
    List<String> rules = bad.stream().map(v -> v.field() + " " + v.wireDescription()).toList();
    // Exposure Notification exports may leave report_type unset (0); fedtrace requires one
    assertTrue(
        rules.stream().allMatch(r -> r.contains("R4.5")),
        "only report types may be missing, got " + rules);
    assertTrue(HexFormat.of().formatHex(e.exportBin(), 0, 12).startsWith("454b204578706f7274"));
  }

  @Test
  void refusesAFileThatIsNotAnExport() {
    IOException x =
        assertThrows(
            IOException.class,
            () -> GaenExport.parse(new byte[] {1, 2, 3}, new byte[0], "bad.zip"));
    assertEquals("bad.zip: export.bin does not start with \"EK Export v1\"", x.getMessage());
  }
}

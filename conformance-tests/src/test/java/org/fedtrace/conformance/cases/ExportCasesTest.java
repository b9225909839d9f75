package org.fedtrace.conformance.cases;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.conformance.ExportSite;
import org.fedtrace.conformance.wire.ExportFiles;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export cases catch what they check: the suite's reader decodes what the reference writer
 * wrote, field for field; a file as the spec wants passes every check; and each file with one
 * defect fails exactly the check of the rule it breaks.
 */
class ExportCasesTest {
  /** 2026-12-01T10:00Z. */
  private static final long HOUR = 1_796_119_200L;

  /** The day before {@link #HOUR}'s day, in intervals: its keys ended at least 10 hours before. */
  private static final int YESTERDAY = (int) (HOUR / 86_400 * 144 - 144);

  private final SecureRandom random = new SecureRandom();
  private final KeyPair key = ecKey();

  private static KeyPair ecKey() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private DiagnosisKey key(int start, ReportType type) {
    byte[] data = new byte[16];
    random.nextBytes(data);
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber(start)
        .setRollingPeriod(144)
        .setReportType(type)
        .setTransmissionRiskLevel(4)
        .setDaysSinceOnsetOfSymptoms(-1)
        .build();
  }

  /** A file the reference writer made: 139 keys and one revoked, of yesterday. */
  private ExportFiles.File written(String region) throws Exception {
    return ExportFiles.read(zip(region));
  }

  private byte[] zip(String region) {
    List<DiagnosisKey> keys = new ArrayList<>();
    for (int i = 0; i < 139; i++) {
      keys.add(key(YESTERDAY, ReportType.REPORT_TYPE_CONFIRMED_TEST));
    }
    keys.add(key(YESTERDAY, ReportType.REPORT_TYPE_REVOKED));
    GaenExportWriter writer =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("262", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(key.getPrivate(), bin));
    return writer.write(
        new GaenExportWriter.Content(region, new GaenExport.Window(HOUR, HOUR + 3600), 1, 1, keys));
  }

  private static ExportSite.Listed listed(String path, ExportFiles.File f) {
    return new ExportSite.Listed(path, f);
  }

  private static ExportFiles.File with(ExportFiles.File f, List<ExportFiles.Key> keys) {
    return new ExportFiles.File(
        f.bin(),
        f.start(),
        f.end(),
        f.region(),
        f.batchNum(),
        f.batchSize(),
        f.infos(),
        keys,
        f.revisedKeys(),
        f.signatures());
  }

  private static void fails(String fragment, Runnable check) {
    AssertionError e = assertThrows(AssertionError.class, check::run);
    assertTrue(e.getMessage().contains(fragment), e.getMessage());
  }

  @Test
  void theSuitesReaderDecodesWhatTheReferenceWriterWrote(@TempDir Path dir) throws Exception {
    byte[] zip = zip("DE");
    ExportFiles.File f = ExportFiles.read(zip);
    final GaenExport reference = GaenExport.read(Files.write(dir.resolve("export.zip"), zip));

    assertEquals(HOUR, f.start());
    assertEquals(HOUR + 3600, f.end());
    assertEquals("DE", f.region());
    assertEquals(139, f.keys().size());
    assertEquals(1, f.revisedKeys().size());
    assertEquals(
        List.of(new ExportFiles.SignatureInfo("v1", "262", ExportCases.ECDSA_SHA256)), f.infos());
    List<DiagnosisKey> all = reference.keys();
    assertEquals(140, all.size());
    for (ExportFiles.Key k : f.allKeys()) {
      DiagnosisKey r =
          all.stream()
              .filter(x -> Arrays.equals(x.getKeyData().toByteArray(), k.keyData()))
              .findFirst()
              .orElseThrow();
      assertEquals(r.getRollingStartIntervalNumber(), k.rollingStart());
      assertEquals(r.getRollingPeriod(), k.rollingPeriod());
      assertEquals(r.getReportTypeValue(), k.reportType());
      assertEquals(r.getTransmissionRiskLevel(), k.transmissionRiskLevel());
      assertEquals(-1, k.daysSinceOnset());
    }
  }

  @Test
  void aFileAsTheSpecWantsPassesEveryCheck() throws Exception {
    ExportFiles.File origin = written("DE");
    ExportFiles.File combined = written("ALL");
    List<ExportFiles.Key> union = new ArrayList<>(combined.keys());
    union.addAll(origin.keys());
    List<ExportFiles.Key> revised = new ArrayList<>(combined.revisedKeys());
    revised.addAll(origin.revisedKeys());
    ExportFiles.File all =
        new ExportFiles.File(
            combined.bin(),
            combined.start(),
            combined.end(),
            "ALL",
            1,
            1,
            combined.infos(),
            union,
            revised,
            combined.signatures());
    List<ExportSite.Listed> files =
        List.of(listed("DE/hourly/a.zip", origin), listed("ALL/hourly/b.zip", all));
    ExportSite.Snapshot snapshot =
        new ExportSite.Snapshot(
            Map.of(
                "DE/hourly/index.txt", files.subList(0, 1),
                "ALL/hourly/index.txt", files.subList(1, 2)));

    assertDoesNotThrow(() -> ExportCases.layout(snapshot));
    assertDoesNotThrow(() -> ExportCases.windows(files));
    assertDoesNotThrow(() -> ExportCases.ended(files, HOUR + 3600));
    assertDoesNotThrow(() -> ExportCases.embargo(files));
    assertDoesNotThrow(() -> ExportCases.minimum(files.subList(0, 1)));
    assertDoesNotThrow(() -> ExportCases.revised(files));
    assertDoesNotThrow(() -> ExportCases.signatureInfos(files));
    assertDoesNotThrow(() -> ExportCases.signatures(files.subList(0, 1), key.getPublic()));
    assertEquals(1, ExportCases.unions(snapshot));
    List<ExportSite.Listed> sorted = List.of(listed("DE/hourly/a.zip", origin));
    assertDoesNotThrow(() -> ExportCases.order(sorted));
  }

  @Test
  void eachDefectFailsTheCheckOfItsRule() throws Exception {
    ExportFiles.File good = written("DE");
    List<ExportFiles.Key> keys = good.keys();

    // R24.19: a series index outside the layout, a file of another region
    fails(
        "is not REGION/hourly",
        () ->
            ExportCases.layout(
                new ExportSite.Snapshot(
                    Map.of("DE/index.txt", List.of(listed("DE/a.zip", good))))));
    fails(
        "region of FR/hourly/a.zip",
        () ->
            ExportCases.layout(
                new ExportSite.Snapshot(
                    Map.of("FR/hourly/index.txt", List.of(listed("FR/hourly/a.zip", good))))));
    fails(
        "is not under FR/hourly/",
        () ->
            ExportCases.layout(
                new ExportSite.Snapshot(
                    Map.of("FR/hourly/index.txt", List.of(listed("DE/hourly/a.zip", good))))));
    // R24.10: a window of ten minutes
    ExportFiles.File tenMinutes =
        new ExportFiles.File(
            good.bin(),
            HOUR,
            HOUR + 600,
            "DE",
            1,
            1,
            good.infos(),
            keys,
            List.of(),
            good.signatures());
    fails("whole hours", () -> ExportCases.windows(List.of(listed("x", tenMinutes))));
    // R24.11: listed before its window ended
    fails("before its window", () -> ExportCases.ended(List.of(listed("x", good)), HOUR + 3000));
    // R24.1: a key of today, still valid at the window's end
    List<ExportFiles.Key> live = new ArrayList<>(keys);
    ExportFiles.Key k0 = keys.get(0);
    live.set(0, new ExportFiles.Key(k0.keyData(), 4, (int) (HOUR / 600) - 6, 144, 1, null));
    fails(
        "is released in a window",
        () -> ExportCases.embargo(List.of(listed("x", with(good, live)))));
    // ... and one that ended an hour before the window's end: within the two hours
    live.set(0, new ExportFiles.Key(k0.keyData(), 4, (int) (HOUR / 600) - 144, 144, 1, null));
    fails(
        "is released in a window",
        () -> ExportCases.embargo(List.of(listed("x", with(good, live)))));
    // R24.4: 139 keys
    fails(
        "fewer than 140",
        () ->
            ExportCases.minimum(
                List.of(
                    listed(
                        "x",
                        new ExportFiles.File(
                            good.bin(),
                            good.start(),
                            good.end(),
                            "DE",
                            1,
                            1,
                            good.infos(),
                            keys,
                            List.of(),
                            good.signatures())))));
    // R24.13: two keys swapped
    List<ExportFiles.Key> swapped = new ArrayList<>(keys);
    swapped.set(0, keys.get(1));
    swapped.set(1, keys.get(0));
    fails("ascending", () -> ExportCases.order(List.of(listed("x", with(good, swapped)))));
    // R24.14: a revoked key among the keys
    List<ExportFiles.Key> revokedInKeys = new ArrayList<>(keys);
    revokedInKeys.add(good.revisedKeys().get(0));
    fails(
        "revoked key in keys",
        () -> ExportCases.revised(List.of(listed("x", with(good, revokedInKeys)))));
    // R24.15: another algorithm; a signature by another key
    ExportFiles.File otherAlgorithm =
        new ExportFiles.File(
            good.bin(),
            good.start(),
            good.end(),
            "DE",
            1,
            1,
            List.of(new ExportFiles.SignatureInfo("v1", "262", "1.2.840.10045.4.3.4")),
            keys,
            good.revisedKeys(),
            good.signatures());
    fails(
        "signature algorithm",
        () -> ExportCases.signatureInfos(List.of(listed("x", otherAlgorithm))));
    fails(
        "no signature verifies",
        () -> {
          try {
            ExportCases.signatures(List.of(listed("x", good)), ecKey().getPublic());
          } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
          }
        });
    // R24.8: the combined file lacks one of the origin's keys
    ExportFiles.File combined = with(written("ALL"), keys.subList(1, keys.size()));
    fails(
        "a key missing from ALL/hourly/b.zip",
        () ->
            ExportCases.unions(
                new ExportSite.Snapshot(
                    Map.of(
                        "DE/hourly/index.txt", List.of(listed("DE/hourly/a.zip", good)),
                        "ALL/hourly/index.txt", List.of(listed("ALL/hourly/b.zip", combined))))));
  }
}

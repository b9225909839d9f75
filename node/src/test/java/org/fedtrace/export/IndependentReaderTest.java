package org.fedtrace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.Digest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the exporter writes, read by a reader that shares no code with it: {@code
 * src/test/python/export_reader.py}, which builds its message classes from the published field
 * numbers with Debian's python3-protobuf. Its signature is checked here over the export.bin bytes
 * taken from the zip with {@code java.util.zip}. Skipped only when /usr/bin/python3 cannot import
 * google.protobuf (CI installs it, see .ci/run).
 */
class IndependentReaderTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final long MIDNIGHT = 1_796_083_200L;

  @TempDir Path tmp;

  @Test
  void aPythonProtobufReaderSeesTheHeaderFieldsSortedKeysRevisedKeysAndTheSignature()
      throws Exception {
    assumePythonProtobuf();
    SecureRandom random = new SecureRandom();
    KeyPair signing = CertificateKeyType.ECDSA_P256.generate(random);
    DiagnosisKey confirmed = key(random, ReportType.REPORT_TYPE_CONFIRMED_TEST, 0);
    DiagnosisKey revoked = key(random, ReportType.REPORT_TYPE_REVOKED, -2);
    Path out = tmp.resolve("out");
    try (Store store = SqliteStore.open(Files.createDirectories(tmp.resolve("db")))) {
      DiagnosisKeyBatch b =
          DiagnosisKeyBatch.newBuilder()
              .setOrigin("DE")
              .setBatchId(ByteString.copyFrom(new byte[16]))
              .setSequence(1)
              .addKeys(confirmed)
              .addKeys(revoked)
              .build();
      store.insertBatch(
          new NewBatch(b, b.toByteArray(), Digest.of(new byte[32]), null, MIDNIGHT),
          null,
          tx -> {});
      GaenExportWriter writer =
          new GaenExportWriter(
              new GaenExportWriter.SignatureInfo("262", "v1"),
              bin -> CertificateKeyType.ECDSA_P256.sign(signing.getPrivate(), bin));
      new Exporter(store, new ExportPolicy(7_200, 140, 1_000, "ALL", 14), writer, out, random, "DE")
          .run(MIDNIGHT + 3_600);
    }
    Path zip = out.resolve("DE/hourly/" + MIDNIGHT + "-" + (MIDNIGHT + 3_600) + "-00001.zip");

    Map<String, List<String>> r = read(zip);

    assertEquals(List.of("export.bin,export.sig"), r.get("entries"));
    assertEquals(List.of("ok"), r.get("header"));
    assertEquals(List.of("DE"), r.get("region"));
    assertEquals(List.of(Long.toString(MIDNIGHT)), r.get("start"));
    assertEquals(List.of(Long.toString(MIDNIGHT + 3_600)), r.get("end"));
    assertEquals(List.of("1/1"), r.get("batch"));
    assertEquals(List.of("262,v1,1.2.840.10045.4.3.2"), r.get("signature_info"));
    assertEquals(List.of("True"), r.get("keys_sorted"));
    // each real key lends its metadata to half of the 138 padding keys
    assertEquals(List.of("70"), r.get("keys"));
    assertEquals(70, r.get("revised").size());
    HexFormat hex = HexFormat.of();
    assertTrue(
        r.get("key")
            .contains(
                hex.formatHex(confirmed.getKeyData().toByteArray())
                    + " "
                    + confirmed.getRollingStartIntervalNumber()
                    + " 144 1 3 0"),
        r.get("key").toString());
    assertTrue(r.get("revised").contains(hex.formatHex(revoked.getKeyData().toByteArray()) + " 5"));
    String[] sig = r.get("signature").get(0).split(" ");
    assertEquals("262", sig[0]);
    assertEquals("1/1", sig[1]);
    CertificateKeyType.ECDSA_P256.verify(signing.getPublic(), exportBin(zip), hex.parseHex(sig[2]));
  }

  private static DiagnosisKey key(SecureRandom random, ReportType type, int daysSinceOnset) {
    byte[] data = new byte[16];
    random.nextBytes(data);
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber((int) ((MIDNIGHT - 3 * 86_400) / 600))
        .setRollingPeriod(144)
        .setReportType(type)
        .setTransmissionRiskLevel(3)
        .setDaysSinceOnsetOfSymptoms(daysSinceOnset)
        .build();
  }

  private static byte[] exportBin(Path zip) throws IOException {
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("export.bin")) {
          return in.readAllBytes();
        }
      }
    }
    throw new IOException(zip + " holds no export.bin");
  }

  private static void assumePythonProtobuf() throws IOException, InterruptedException {
    boolean importable = false;
    if (Files.isExecutable(PYTHON)) {
      Process p =
          new ProcessBuilder(PYTHON.toString(), "-c", "import google.protobuf")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      importable = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    Assumptions.assumeTrue(
        importable,
        "python3-protobuf is not importable by /usr/bin/python3;"
            + " install it with: apt-get install -y python3-protobuf");
  }

  private static Map<String, List<String>> read(Path zip) throws Exception {
    Path script =
        Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/python/export_reader.py")
            .toAbsolutePath();
    Path err = Files.createTempFile("export-reader", ".err");
    Process p =
        new ProcessBuilder(PYTHON.toString(), script.toString(), zip.toString())
            .redirectError(err.toFile())
            .start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = p.waitFor(60, TimeUnit.SECONDS);
    String stderr = Files.readString(err);
    Files.delete(err);
    assertTrue(ended, "the Python reader ended");
    assertEquals(0, p.exitValue(), "stdout:\n" + stdout + "\nstderr:\n" + stderr);
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : stdout.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        out.computeIfAbsent(line.substring(0, eq), k -> new ArrayList<>())
            .add(line.substring(eq + 1));
      }
    }
    return out;
  }
}

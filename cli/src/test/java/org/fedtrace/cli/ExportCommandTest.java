package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.fedtrace.crypto.Digest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.sql.SqliteStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedtrace export}, and its files read back by {@code fedtrace keys gaen-export}. */
class ExportCommandTest {
  @TempDir Path dir;

  private static String[] run(int expectedStatus, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedStatus, cl.execute(args), out + "\n" + err);
    return new String[] {out.toString(), err.toString()};
  }

  private Path config(String export) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, "dataDir: data\nexport: {" + export + "}\n");
    return f;
  }

  /** A store holding one batch of DE with {@code n} keys of three days ago. */
  private void store(int n) {
    long day = Instant.now().getEpochSecond() / 86_400 - 3;
    SecureRandom random = new SecureRandom();
    DiagnosisKeyBatch.Builder b =
        DiagnosisKeyBatch.newBuilder()
            .setOrigin("DE")
            .setBatchId(ByteString.copyFrom(new byte[16]))
            .setSequence(1);
    for (int i = 0; i < n; i++) {
      byte[] key = new byte[16];
      random.nextBytes(key);
      b.addKeys(
          DiagnosisKey.newBuilder()
              .setKeyData(ByteString.copyFrom(key))
              .setRollingStartIntervalNumber((int) (day * 144))
              .setRollingPeriod(144)
              .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
              .setDaysSinceOnsetOfSymptoms(1));
    }
    DiagnosisKeyBatch batch = b.build();
    try (SqliteStore s = SqliteStore.open(dir.resolve("data"))) {
      s.insertBatch(
          new NewBatch(batch, batch.toByteArray(), Digest.of(new byte[32]), null, 0),
          null,
          tx -> {});
    }
  }

  private static List<Path> zips(Path folder) throws Exception {
    try (Stream<Path> s = Files.list(folder)) {
      return s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    }
  }

  @Test
  void exportsSignedFilesThatKeysGaenExportVerifies() throws Exception {
    store(3);
    String conf = config("keyId: '262', minKeys: 140").toString();
    String[] gen = run(0, "export", "--config", conf, "--generate-key");
    assertTrue(gen[0].contains("export-signing.key.pub"), gen[0]);
    Path www = dir.resolve("www");

    String[] r = run(0, "export", "--config", conf, "--origin", "DE", "--out", www.toString());

    assertTrue(r[0].startsWith("published "), r[0]);
    assertTrue(Files.readAllLines(www.resolve("index.txt")).contains("DE/hourly/index.txt"));
    Path file = zips(www.resolve("DE/hourly")).get(0);
    String pub = dir.resolve("export-signing.key.pub").toString();
    String[] read = run(0, "keys", "gaen-export", "--file", file.toString(), "--public-key", pub);
    String[] lines = read[0].split("\n");
    assertTrue(lines[0].matches("region DE, file 1 of 1, window .* 140 keys"), lines[0]);
    assertEquals("signature: verified", lines[1]);
    assertEquals(142, lines.length);
    assertTrue(
        run(0, "export", "--config", conf, "--origin", "DE", "--out", www.toString())[0].startsWith(
            "nothing new"));
  }

  @Test
  void refusesWhatCannotWorkWithTheReasonAndExitStatus() throws Exception {
    String noKeyId = config("").toString();
    assertEquals(
        "fedtrace: "
            + noKeyId
            + ": export.keyId: required to export: phones find the"
            + " verification key by it\n",
        run(2, "export", "--config", noKeyId, "--origin", "DE", "--out", "www")[1]);
    String conf = config("keyId: '262'").toString();
    assertTrue(
        run(2, "export", "--config", conf)[1].startsWith(
            "fedtrace: --out is required when the configuration sets no"));
    assertTrue(
        run(1, "export", "--config", conf, "--origin", "DE", "--out", "www")[1].startsWith(
            "fedtrace: export.signingKey: "));
    run(0, "export", "--config", conf, "--generate-key");
    String again = run(1, "export", "--config", conf, "--generate-key")[1];
    assertTrue(again.contains("export-signing.key.pub exists; a key is never overwritten"), again);
    String noStore = run(1, "export", "--config", conf, "--origin", "DE", "--out", "www")[1];
    assertTrue(noStore.startsWith("fedtrace: there is no store at "), noStore);
    // the series of the node's domestic-only keys (R25.14): its origin, from --origin or its files
    String noOrigin = run(2, "export", "--config", conf, "--out", "www")[1];
    assertTrue(
        noOrigin.startsWith(
            "fedtrace: "
                + conf
                + ": cannot tell the node's origin, whose series carries its domestic-only keys:"
                + " federation.caCertificate: cannot use "),
        noOrigin);
    assertTrue(noOrigin.endsWith(" (or give --origin)\n"), noOrigin);
    String badOrigin = run(2, "export", "--config", conf, "--origin", "de", "--out", "www")[1];
    assertTrue(
        badOrigin.contains(
            "--origin: expected a country code (DE) or a member origin (US-ny), got 'de'"),
        badOrigin);
    String bad = config("keyId: '262', delaySeconds: 60").toString();
    assertTrue(
        run(2, "export", "--config", bad, "--origin", "DE", "--out", "www")[1].endsWith(
            "export.delaySeconds: must be in 7200..604800, got 60\n"));
  }
}

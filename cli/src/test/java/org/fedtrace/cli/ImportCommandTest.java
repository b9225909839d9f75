package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.testing.SharedData;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fedtrace import}: a verified export into the node's store, or a refusal that says why. */
class ImportCommandTest {
  @TempDir Path tmp;

  private static String[] run(int expectedStatus, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedStatus, cl.execute(args), out + "\n" + err);
    return new String[] {out.toString(), err.toString()};
  }

  /** An export of two keys of three days ago without report type, signed by {@code key}. */
  private Path export(KeyPair key) throws Exception {
    SecureRandom random = new SecureRandom();
    long day = System.currentTimeMillis() / 1000 / 86_400 - 3;
    List<DiagnosisKey> keys = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byte[] data = new byte[16];
      random.nextBytes(data);
      keys.add(
          DiagnosisKey.newBuilder()
              .setKeyData(ByteString.copyFrom(data))
              .setRollingStartIntervalNumber((int) (day * 144))
              .setRollingPeriod(144)
              .build());
    }
    GaenExportWriter w =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("310", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(key.getPrivate(), bin));
    Path zip = tmp.resolve("export.zip");
    long end = (day + 3) * 86_400;
    Files.write(
        zip,
        w.write(
            new GaenExportWriter.Content(
                "US", new GaenExport.Window(end - 86_400, end), 1, 1, keys)));
    return zip;
  }

  @Test
  void importsAVerifiedExportAndRefusesWhatItCannotTrustWithDistinctStatuses() throws Exception {
    SecureRandom random = new SecureRandom();
    KeyPair server = CertificateKeyType.ECDSA_P256.generate(random);
    Path pem = tmp.resolve("server.pem");
    Pem.writePublicKey(pem, server.getPublic());
    Path other = tmp.resolve("other.pem");
    Pem.writePublicKey(other, CertificateKeyType.ECDSA_P256.generate(random).getPublic());
    Path zip = export(server);
    String config;
    TestFederation f = TestFederation.create(tmp.resolve("fed"), Clock.systemUTC(), "DE");
    config = f.configure("DE").toString();
    f.close();
    String[] base = {"import", "--config", config, "--file", zip.toString(), "--source", "us-ks"};

    String[] noType = run(2, concat(base, "--public-key", pem.toString()));
    assertTrue(
        noType[1].startsWith("fedtrace: 2 keys of the export carry no report type; say which"),
        noType[1]);
    String[] forged =
        run(3, concat(base, "--public-key", other.toString(), "--unknown-report-type", "1"));
    assertTrue(
        forged[1].endsWith(
            ": signature: no signature of the export verifies under the given key; nothing"
                + " imported\n"),
        forged[1]);
    String[] ok =
        run(0, concat(base, "--public-key", pem.toString(), "--unknown-report-type", "1"));
    assertTrue(ok[0].startsWith("imported 2 keys of region US"), ok[0]);
    assertTrue(
        ok[0].endsWith(
            "as 1 batches of DE, sequences [1], with 62 padding keys; logged as imported from"
                + " us-ks\n"),
        ok[0]);
    assertTrue(
        run(2, concat(base, "--public-key", pem.toString(), "--unknown-report-type", "5"))[1]
            .startsWith("fedtrace: --unknown-report-type must be in 1..4, got 5"));
  }

  @Test
  void theRealSampleVerifiesButItsKeysAreLongPastRetention() throws Exception {
    Path zip =
        SharedData.require("gaen-export-samples/google-en-server-testExport-2-records-1-of-1.zip");
    Path pem = SharedData.require("gaen-export-samples/google-en-server-example-public.pem");
    String config;
    TestFederation f = TestFederation.create(tmp.resolve("fed"), Clock.systemUTC(), "DE");
    config = f.configure("DE").toString();
    f.close();
    String[] r =
        run(
            4,
            "import",
            "--config",
            config,
            "--file",
            zip.toString(),
            "--public-key",
            pem.toString(),
            "--source",
            "us-example",
            "--unknown-report-type",
            "1");
    assertTrue(r[1].contains("R4.4"), r[1]);
    assertTrue(r[1].endsWith("2 violations of fedtrace's key rules; nothing imported\n"), r[1]);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

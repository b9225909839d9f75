package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.fedtrace.testing.SharedData;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code fedtrace keys gaen-export} on the real exports in ../shared (provided in CI). */
class GaenExportCommandTest {
  private static final String SAMPLES = "gaen-export-samples/";

  private static String[] run(int expectedStatus, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    assertEquals(expectedStatus, cl.execute(args), err.toString());
    return new String[] {out.toString(), err.toString()};
  }

  @Test
  void verifiesTheServersSignatureAndListsTheKeys() {
    String zip =
        SharedData.require(SAMPLES + "google-en-server-testExport-2-records-1-of-1.zip").toString();
    String pem = SharedData.require(SAMPLES + "google-en-server-example-public.pem").toString();

    String[] r =
        run(
            0,
            "keys",
            "gaen-export",
            "--file",
            zip,
            "--public-key",
            pem,
            "--default-report-type",
            "1");

    String[] lines = r[0].split("\n");
    assertEquals(
        "region US, file 1 of 1, window 2020-05-22T15:00:00Z to 2020-05-23T15:00:00Z, 2 keys",
        lines[0]);
    assertEquals("signature: verified", lines[1]);
    assertEquals(4, lines.length);
    assertTrue(lines[2].matches("[0-9a-f]{32} \\d+ \\d+ 1 \\d \\S+"), lines[2]);
  }

  @Test
  void keysWithoutReportTypeBreakR45UnlessADefaultIsGiven() {
    String zip =
        SharedData.require(SAMPLES + "google-en-internals-sample_diagnosis_key_file.zip")
            .toString();

    String[] r = run(4, "keys", "gaen-export", "--file", zip);

    assertTrue(r[1].startsWith("fedtrace: keys[0].report_type R4.5: must be in 1..5, got 0"));
    assertTrue(
        r[1].endsWith(
            "fedtrace: 140 violations of fedtrace's key rules (the first 5"
                + " above)"
                + System.lineSeparator()));
    assertEquals(
        2, run(2, "keys", "gaen-export", "--file", zip, "--default-report-type", "9").length);
  }

  @Test
  void aSignatureThatDoesNotVerifyHasItsOwnExitStatus() throws Exception {
    // the internals sample is signed by another key than the server example's
    String zip =
        SharedData.require(SAMPLES + "google-en-internals-sample_diagnosis_key_file.zip")
            .toString();
    String pem = SharedData.require(SAMPLES + "google-en-server-example-public.pem").toString();

    String[] r = run(3, "keys", "gaen-export", "--file", zip, "--public-key", pem);

    assertEquals(
        "fedtrace: signature: no signature of the export verifies under the given key"
            + System.lineSeparator(),
        r[1]);
    String notAKey = run(1, "keys", "gaen-export", "--file", zip, "--public-key", zip)[1];
    assertTrue(notAKey.startsWith("fedtrace: --public-key: "), notAKey);
  }
}

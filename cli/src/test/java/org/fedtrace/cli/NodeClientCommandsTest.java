package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace publish} and {@code fedtrace pull} against a real node (FR) over mutual TLS on
 * loopback, calling as the members DE (the origin) and IT (a puller), with the operator folders a
 * federation authority issues.
 */
class NodeClientCommandsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern BATCH_LINE =
      Pattern.compile("DE batch ([0-9a-f]{32}) sequence (\\d+) \\((\\d+) keys\\): (.*)");

  @TempDir static Path tmp;

  private static TestFederation federation;
  private static String target;

  @BeforeAll
  static void startNode() throws Exception {
    federation =
        TestFederation.create(tmp.resolve("federation"), Clock.systemUTC(), "DE", "FR", "IT");
    federation.startNode("FR");
    federation.configure("DE");
    federation.configure("IT");
    target = "127.0.0.1:" + federation.node("FR").port();
  }

  @AfterAll
  static void stopNode() throws InterruptedException {
    federation.close();
  }

  @Test
  void publishesGeneratedBatchesAndARetryFindsThemHeld() throws IOException {
    Path saved = tmp.resolve("generated.bin");
    Run first =
        publish(
            "DE",
            "--generate",
            "40",
            "--batches",
            "2",
            "--sequence",
            "1000",
            "--save",
            saved.toString());
    assertEquals(0, first.status, first.err);
    assertEquals("", first.err);
    List<String> lines = first.out.lines().toList();
    assertEquals(2, lines.size(), first.out);
    for (int i = 0; i < 2; i++) {
      Matcher m = BATCH_LINE.matcher(lines.get(i));
      assertTrue(m.matches(), lines.get(i));
      assertEquals(String.valueOf(1000 + i), m.group(2));
      assertEquals("40", m.group(3));
      assertEquals("stored", m.group(4));
    }
    assertEquals(2, PublishCommand.read(saved).size());

    Run again = publish("DE", "--batch", saved.toString());
    assertEquals(0, again.status, again.err);
    assertEquals(
        first.out.replace(": stored", ": already held"), again.out, "the retry is recognized");
  }

  @Test
  void pullWritesOneJsonLinePerBatchAndNoKeyMaterialUnlessAsked() throws IOException {
    Run published = publish("DE", "--generate", "25", "--batches", "3", "--sequence", "2000");
    assertEquals(0, published.status, published.err);
    List<String> ids = new ArrayList<>();
    for (String line : published.out.lines().toList()) {
      Matcher m = BATCH_LINE.matcher(line);
      assertTrue(m.matches(), line);
      ids.add(m.group(1));
    }

    Path out = tmp.resolve("pulled.jsonl");
    Run pulled = run("pull", "IT", "--out", out.toString(), "--max-batches", "2");
    assertEquals(0, pulled.status, pulled.err);
    List<JsonNode> lines = new ArrayList<>();
    for (String l : Files.readAllLines(out)) {
      lines.add(JSON.readTree(l));
    }
    List<JsonNode> mine =
        lines.stream().filter(l -> ids.contains(l.get("batch_id").asText())).toList();
    assertEquals(3, mine.size(), lines.toString());
    for (JsonNode l : mine) {
      assertEquals("DE", l.get("origin").asText());
      assertEquals(25, l.get("keys").asInt());
      assertEquals("ok", l.get("check").asText());
      assertFalse(l.has("diagnosis_keys"), "no key material without --with-keys");
    }
    Matcher summary =
        Pattern.compile(
                "pulled (\\d+) batches \\((\\d+) keys\\) from FR/op-fr;"
                    + " resume with --cursor ([0-9a-f]+)\n")
            .matcher(pulled.out);
    assertTrue(summary.matches(), pulled.out);
    assertEquals(String.valueOf(lines.size()), summary.group(1));

    Run nothingNew = run("pull", "IT", "--cursor", summary.group(3));
    assertEquals(0, nothingNew.status, nothingNew.err);
    assertEquals("", nothingNew.out);
    assertEquals(
        "pulled 0 batches (0 keys) from FR/op-fr; resume with --cursor " + summary.group(3) + "\n",
        nothingNew.err);

    Run withKeys = run("pull", "IT", "--with-keys", "--limit", "1");
    assertEquals(0, withKeys.status, withKeys.err);
    JsonNode line = JSON.readTree(withKeys.out.lines().findFirst().orElseThrow());
    JsonNode key = line.get("diagnosis_keys").get(0);
    assertEquals(line.get("keys").asInt(), line.get("diagnosis_keys").size());
    assertTrue(key.get("key_data").asText().matches("[0-9a-f]{32}"), key.toString());
    assertEquals("REPORT_TYPE_CONFIRMED_TEST", key.get("report_type").asText());
  }

  @Test
  void followReceivesABatchCommittedAfterItSubscribed() throws Exception {
    AtomicReference<Run> followed = new AtomicReference<>();
    Path out = tmp.resolve("followed.jsonl");
    int before =
        run("pull", "IT").err.lines().mapToInt(l -> Integer.parseInt(l.split(" ")[1])).sum();
    Thread follower =
        new Thread(
            () ->
                followed.set(
                    run(
                        "pull",
                        "IT",
                        "--follow",
                        "--limit",
                        String.valueOf(before + 1),
                        "--out",
                        out.toString())));
    follower.start();
    Run published = publish("DE", "--generate", "7", "--sequence", "3000");
    assertEquals(0, published.status, published.err);
    follower.join();
    assertEquals(0, followed.get().status, followed.get().err);
    List<String> lines = Files.readAllLines(out);
    assertEquals(before + 1, lines.size());
    JsonNode last = JSON.readTree(lines.get(lines.size() - 1));
    assertEquals(7, last.get("keys").asInt());
    assertEquals("3000", last.get("sequence").asText());
    assertTrue(last.get("cursor").asText().matches("[0-9a-f]+"), last.toString());
  }

  @Test
  void aRefusedBatchPrintsTheStatusAndEveryFieldViolation() throws Exception {
    TestBatches t = new TestBatches(9, Clock.systemUTC().instant());
    List<DiagnosisKey> keys = new ArrayList<>(t.keys(5, 3));
    keys.set(1, keys.get(1).toBuilder().setRollingPeriod(0).build());
    keys.set(3, keys.get(3).toBuilder().setRollingPeriod(145).build());
    OperatorCredentials de = federation.credentials("DE");
    DiagnosisKeyBatch bad =
        new BatchSigner(
                SigningKey.fromPrivateKey(de.signing().privateKey()),
                de.signing().certificate().getEncoded())
            .sign(t.batch("DE", 4000, keys));
    Path file = tmp.resolve("bad.bin");
    PublishCommand.write(file, List.of(bad));

    Run r = publish("DE", "--batch", file.toString());
    assertEquals(NodeClient.EXIT_REFUSED, r.status);
    assertEquals("", r.out);
    assertEquals(
        "fedtrace: PublishBatch of DE batch "
            + HexFormat.of().formatHex(bad.getBatchId().toByteArray())
            + " sequence 4000 (5 keys) failed: INVALID_ARGUMENT: R4.2: 2 violations; see the"
            + " details [batch.keys[1].rolling_period: R4.2: must be in 1..144, got 0;"
            + " batch.keys[3].rolling_period: R4.2: must be in 1..144, got 145]\n",
        r.err);
  }

  @Test
  void aNodeWithAnotherIdentityIsRefusedBeforeAnyRequest() {
    Run r = run("pull", "IT", "--server-identity", "DE/op-de");
    assertEquals(NodeClient.EXIT_RETRY, r.status);
    assertTrue(r.err.startsWith("fedtrace: GetNodeInfo failed: UNAVAILABLE: "), r.err);
    assertTrue(
        r.err.endsWith(" (the server is FR/op-fr, not the expected peer DE/op-de)\n"), r.err);
    assertEquals(1, r.err.lines().count(), r.err);
  }

  @Test
  void aNodeUnderAnotherAgreementIsRefused() throws Exception {
    Path other = tmp.resolve("it-other-agreement");
    Files.createDirectories(other);
    for (String f : List.of(PkiFiles.TLS_CERTIFICATE, PkiFiles.TLS_KEY, PkiFiles.CA_CERTIFICATE)) {
      Files.copy(federation.dir("IT").resolve(f), other.resolve(f));
    }
    AgreementTerms t = federation.pki().terms();
    federation
        .pki()
        .authority()
        .sign(
            new AgreementTerms(
                t.federation(),
                t.version() + 1,
                t.retentionDays() - 1,
                t.sunsetDate(),
                t.members(),
                t.healthAuthorities()))
        .writeTo(other);
    Run r = run("pull", "IT", "--tls", other.toString());
    assertEquals(NodeClient.EXIT_AGREEMENT, r.status, r.err);
    assertTrue(
        r.err.startsWith("fedtrace: the node enforces another agreement (test, sha256 "), r.err);
    assertTrue(r.err.endsWith("; R7.10 forbids exchanging with it\n"), r.err);
  }

  @Test
  void commandLineMistakesAreUsageErrors() {
    Run badTarget = run("pull", "IT", "--target", "localhost");
    assertEquals(2, badTarget.status);
    assertEquals(
        "fedtrace: --target must be HOST:PORT with a port in 1..65535, got 'localhost' (see"
            + " 'fedtrace pull --help')\n",
        badTarget.err);
    Run badIdentity = run("pull", "IT", "--server-identity", "fr/op-fr");
    assertEquals(2, badIdentity.status);
    assertTrue(
        badIdentity.err.startsWith("fedtrace: --server-identity 'fr/op-fr': fr is not an"),
        badIdentity.err);
    assertEquals(2, publish("DE", "--generate", "0").status);
    assertEquals(2, publish("DE").status, "--batch or --generate is required");
    assertEquals(2, publish("DE", "--batch", "x", "--generate", "3").status);
  }

  @Test
  void aMissingOperatorFolderIsALocalProblem() {
    Run r = run("pull", "IT", "--tls", tmp.resolve("nowhere").toString());
    assertEquals(NodeClient.EXIT_LOCAL, r.status);
    assertEquals("fedtrace: --tls " + tmp.resolve("nowhere") + ": ca.crt is missing\n", r.err);
  }

  private static Run publish(String caller, String... more) {
    return run("publish", caller, more);
  }

  /**
   * Runs {@code command} as {@code caller} against FR: --target, --tls and --server-identity are
   * FR's and the caller's unless {@code more} gives them.
   */
  private static Run run(String command, String caller, String... more) {
    List<String> given = List.of(more);
    List<String> args = new ArrayList<>();
    args.add(command);
    String[][] defaults = {
      {"--target", target},
      {"--tls", federation.dir(caller).toString()},
      {"--server-identity", "FR/op-fr"}
    };
    for (String[] d : defaults) {
      if (!given.contains(d[0])) {
        args.addAll(List.of(d));
      }
    }
    args.addAll(given);
    CommandLine cl = Fedtrace.newCommandLine();
    if (!cl.getSubcommands().containsKey("publish")) {
      cl.addSubcommand(new PublishCommand());
      cl.addSubcommand(new PullCommand());
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args.toArray(new String[0]));
    return new Run(status, out.toString(), err.toString());
  }

  private record Run(int status, String out, String err) {}
}

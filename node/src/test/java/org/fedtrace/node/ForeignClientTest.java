package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.batch.Symptoms;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationProto;
import org.fedtrace.proto.v1.SymptomStatus;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a node from a client that is not ours: {@code src/test/python/foreign_client.py} on
 * Debian's python3-grpcio and python3-protobuf, which builds the messages from the compiled .proto
 * descriptors and connects with gRPC's own TLS stack and a member's PEM files. Skipped only when
 * /usr/bin/python3 cannot import grpc (CI installs it, see .ci/run).
 */
class ForeignClientTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path dir;

  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aPythonGrpcClientGetsNodeInfoPublishesAndPullsOverMutualTls() throws Exception {
    assumePythonGrpc();
    Clock clock = Clock.systemUTC();
    f = TestFederation.create(dir.resolve("federation"), clock, "DE", "FR", "BE");
    Node de = f.startNode("DE");
    TestBatches batches = new TestBatches(41, clock.instant());
    List<Symptoms> states =
        List.of(
            new Symptoms.Asymptomatic(0),
            new Symptoms.OnsetInRange(7, -2),
            new Symptoms.StatusUnknown(3),
            new Symptoms.OnsetUnknown(-1),
            new Symptoms.KnownOnset(0),
            new Symptoms.None());
    f.upload("DE", withStates(batches.keys(3, 3), states));
    // and a traveller's keys: DE's second batch is a format-2 TRAVELLER batch
    f.upload(
        de, SharingPolicyTest.traveller(f, SharingPolicyTest.visited(batches.keys(2, 2), "FR")));
    de.publishDue(true); // DE's own batches, for the pull
    // FR forwards a batch of BE, signed by BE
    DiagnosisKeyBatch fromBe =
        Signatures.sign(
            batches.batch("BE", 1, withStates(batches.keys(6, 5), states)),
            f.credentials("BE").signing());

    Path files = Files.createDirectories(dir.resolve("client"));
    Files.write(files.resolve("fedtrace.pb"), descriptorSet());
    Files.write(files.resolve("batch.bin"), fromBe.toByteArray());
    Files.write(files.resolve("forged.bin"), Signatures.altered(fromBe).toByteArray());
    DiagnosisKeyBatch travellerFromBe =
        Signatures.sign(
            batches.batch("BE", 2, SharingPolicyTest.visited(batches.keys(4, 4), "DE")).toBuilder()
                .setFormatVersion(2)
                .setScope(org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_TRAVELLER)
                .build(),
            f.credentials("BE").signing());
    Files.write(files.resolve("traveller.bin"), travellerFromBe.toByteArray());
    Credential fr = f.credentials("FR").tls();
    Pem.writeCertificates(files.resolve("ca.crt"), f.pki().caCertificate());
    Pem.writeCertificates(files.resolve("tls.crt"), fr.certificate());
    Pem.writePrivateKey(files.resolve("tls.key"), fr.privateKey());

    Map<String, List<String>> out =
        run(
            script().toString(),
            "--target",
            "localhost:" + de.port(),
            "--descriptors",
            files.resolve("fedtrace.pb").toString(),
            "--ca",
            files.resolve("ca.crt").toString(),
            "--cert",
            files.resolve("tls.crt").toString(),
            "--key",
            files.resolve("tls.key").toString(),
            "--batch",
            files.resolve("batch.bin").toString(),
            "--forged",
            files.resolve("forged.bin").toString(),
            "--traveller",
            files.resolve("traveller.bin").toString());

    assertEquals(List.of("fedtrace.v1"), out.get("protocol_version"));
    assertEquals(List.of("DE/op-de"), out.get("node"));
    assertEquals(
        List.of(HexFormat.of().formatHex(de.agreement().sha256())), out.get("agreement_sha256"));
    assertEquals(
        List.of("subscribe,upload,transparency-log,witnessing,notice"), out.get("features"));
    assertEquals(List.of("False"), out.get("publish_1_duplicate"));
    assertEquals(List.of("True"), out.get("publish_2_duplicate"));
    assertEquals(List.of("INVALID_ARGUMENT"), out.get("forged_code"));
    assertEquals(
        List.of("R8.20: batch.signature does not verify under the signer's key"),
        out.get("forged_message"));
    assertEquals(
        List.of("batch.signature | R8.20: does not verify under the signer's key"),
        out.get("forged_violation"));
    assertEquals(List.of("False"), out.get("traveller_duplicate"));
    assertEquals(List.of("2"), out.get("pulled_batches"));
    assertEquals(
        List.of("DE/1 keys=64 format=1 scope=0", "DE/2 keys=64 format=2 scope=2"),
        out.get("pulled"));
    assertEquals(List.of("True"), out.get("caught_up"));
    assertEquals(List.of("DE/2 format=2 scope=2"), out.get("filtered"));
    assertEquals(List.of("True"), out.get("filtered_caught_up"));
    assertEquals(List.of("INVALID_ARGUMENT"), out.get("unsorted_code"));
    assertEquals(
        List.of("origins | R25.12: must be strictly ascending; entry 1 is not"),
        out.get("unsorted_violation"));
    // the batch the Python client rebuilt is stored byte for byte as BE signed it
    assertArrayEquals(
        travellerFromBe.toByteArray(),
        de.store().read(tx -> tx.batches().ofOrigin("BE")).get(1).payload());
    // the symptom state of every key of DE's batches, as Python read it and encoded its record
    // bytes
    List<String> expected = new java.util.ArrayList<>();
    for (var stored : de.store().read(tx -> tx.batches().ofOrigin("DE"))) {
      DiagnosisKeyBatch own = DiagnosisKeyBatch.parseFrom(stored.payload());
      own.getKeysList().stream().map(ForeignClientTest::symptoms).forEach(expected::add);
    }
    assertEquals(sorted(expected), sorted(out.get("pulled_symptoms")));
    assertTrue(out.get("pulled_symptoms").stream().anyMatch(l -> l.startsWith("asymptomatic")));

    assertEquals(2, de.store().read(tx -> tx.batches().ofOrigin("BE")).size(), "stored once each");
    assertArrayEquals(
        fromBe.toByteArray(), de.store().read(tx -> tx.batches().ofOrigin("BE")).get(0).payload());
    assertEquals(
        "FR/op-fr",
        de.store().read(tx -> tx.batches().ofOrigin("BE")).get(0).receivedFrom().toString());
  }

  /** The compiled fedtrace.v1 protos and google.rpc status details, dependencies first. */
  /** {@code keys} with {@code states} set in turn. */
  private static List<DiagnosisKey> withStates(List<DiagnosisKey> keys, List<Symptoms> states) {
    List<DiagnosisKey> out = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      out.add(states.get(i % states.size()).applyTo(keys.get(i).toBuilder()).build());
    }
    return out;
  }

  /** What foreign_client.py prints for a key: its symptom state and key-record bytes 22, 23. */
  private static String symptoms(DiagnosisKey k) {
    String label = "none";
    if (k.hasSymptomStatus()) {
      SymptomStatus s = k.getSymptomStatus();
      FieldDescriptor field =
          s.getDescriptorForType().findFieldByNumber(s.getStatusCase().getNumber());
      label =
          s.hasOnsetRange()
              ? "onset_range:"
                  + s.getOnsetRange().getRangeDays()
                  + ":"
                  + s.getOnsetRange().getDaysSinceRangeEnd()
              : field.getName() + ":" + s.getField(field);
    } else if (k.hasDaysSinceOnsetOfSymptoms()) {
      label = "days_since_onset_of_symptoms:" + k.getDaysSinceOnsetOfSymptoms();
    }
    return label + " " + HexFormat.of().formatHex(CanonicalEncoding.keyRecord(k), 22, 24);
  }

  private static List<String> sorted(List<String> lines) {
    return lines.stream().sorted().toList();
  }

  static byte[] descriptorSet() {
    Set<FileDescriptor> ordered = new LinkedHashSet<>();
    for (FileDescriptor root :
        List.of(
            FederationProto.getDescriptor(),
            com.google.rpc.StatusProto.getDescriptor(),
            com.google.rpc.ErrorDetailsProto.getDescriptor())) {
      addWithDependencies(root, ordered);
    }
    FileDescriptorSet.Builder set = FileDescriptorSet.newBuilder();
    ordered.forEach(d -> set.addFile(d.toProto()));
    return set.build().toByteArray();
  }

  private static void addWithDependencies(FileDescriptor d, Set<FileDescriptor> out) {
    for (FileDescriptor dependency : d.getDependencies()) {
      addWithDependencies(dependency, out);
    }
    out.add(d);
  }

  private static Path script() {
    return Path.of(System.getProperty("basedir", "."))
        .resolve("src/test/python/foreign_client.py")
        .toAbsolutePath();
  }

  private static void assumePythonGrpc() throws IOException, InterruptedException {
    boolean importable = false;
    if (Files.isExecutable(PYTHON)) {
      Process p =
          new ProcessBuilder(PYTHON.toString(), "-c", "import grpc, google.protobuf")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      importable = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
    Assumptions.assumeTrue(
        importable,
        "python3-grpcio is not importable by /usr/bin/python3;"
            + " install it with: apt-get install -y python3-grpcio python3-protobuf");
  }

  /** Runs the script; its key=value lines, by key, in order. */
  private static Map<String, List<String>> run(String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("foreign-client", ".err");
    Process p =
        new ProcessBuilder(command)
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean ended = p.waitFor(60, TimeUnit.SECONDS);
    String stderr = Files.readString(err);
    Files.delete(err);
    assertTrue(ended, "the Python client ended");
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

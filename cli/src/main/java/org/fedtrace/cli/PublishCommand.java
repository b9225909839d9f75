package org.fedtrace.cli;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.ReportType;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace publish}: push signed batches to a node with PublishBatch. */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    header = "Push signed diagnosis key batches to a node (PublishBatch).",
    description = {
      "Connects to the node over mutual TLS with the operator folder's TLS",
      "certificate, checks that it enforces the same agreement (GetNodeInfo),",
      "then pushes each batch and prints one line per batch: stored, or already",
      "held (the node answered duplicate = true). A refused batch stops the",
      "command; the batches before it stay published.",
      "",
      "--batch FILE sends batches made elsewhere, unchanged, as a forwarding",
      "node would: FILE holds one or more DiagnosisKeyBatch messages in protobuf",
      "binary encoding, each preceded by its length as a varint (protobuf's",
      "writeDelimitedTo; what --save writes). Binary, because that is the form a",
      "node stores and serves; a JSON form would need protobuf-java-util.",
      "",
      "--generate N signs batches of N random valid keys with the folder's",
      "batch-signing key (signing.key, signing.crt), for demonstrations and",
      "benchmarks: keys of recent days within the agreement's retention, sorted",
      "as R8.32 asks, not padded; they match no one.",
      "",
      "A node creates and numbers the batches of its own country itself: it",
      "refuses a batch of its origin it did not create (R8.36) and any batch",
      "pushed with its own identity (R8.37). Push generated batches to a peer;",
      "they are not in your own node's transparency log, so an audit of that",
      "peer with --peers reports them as deliveries your node did not record."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done",
      "1:local problem: unreadable or unusable operator folder or file",
      "2:bad command line",
      "3:the node refused a request (INVALID_ARGUMENT, PERMISSION_DENIED, ALREADY_EXISTS,"
          + " FAILED_PRECONDITION, UNAUTHENTICATED, NOT_FOUND, UNIMPLEMENTED); do not resend it",
      "4:the node could not be reached or asked to retry later (UNAVAILABLE, DEADLINE_EXCEEDED,"
          + " RESOURCE_EXHAUSTED)",
      "5:the node enforces another agreement than the operator folder's agreement.json (R7.10)"
    })
public final class PublishCommand implements Callable<Integer> {
  /** Most keys in one generated batch (R8.30). */
  static final int MAX_KEYS = 10_000;

  private static final int MAX_BATCHES = 100_000;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin NodeClient client;

  @ArgGroup(multiplicity = "1")
  Source source;

  /** Where the batches come from: a file, or generated. */
  static final class Source {
    @Option(
        names = "--batch",
        paramLabel = "FILE",
        description = "Batches to send: length-delimited DiagnosisKeyBatch messages (see above).")
    Path file;

    @Option(
        names = "--generate",
        paramLabel = "N",
        description = "Sign and send batches of N random valid keys, 1..10000.")
    Integer generate;
  }

  @Option(
      names = "--batches",
      defaultValue = "1",
      paramLabel = "M",
      description = "With --generate: how many batches (default: ${DEFAULT-VALUE}).")
  int batches;

  @Option(
      names = "--sequence",
      paramLabel = "S",
      description =
          "With --generate: sequence number of the first batch, the next ones follow (default:"
              + " milliseconds since 1970, so that runs do not reuse a number; a receiving node"
              + " refuses a sequence its origin already used, R8.23).")
  Long sequence;

  @Option(
      names = "--save",
      paramLabel = "FILE",
      description =
          "With --generate: also write each signed batch to FILE (must not exist) as it is sent,"
              + " for a later --batch FILE.")
  Path save;

  @Override
  public Integer call() {
    checkOptions();
    Agreement agreement = client.agreement(client.validator());
    CertificateValidator validator = client.validator().revoking(agreement.revokedCertificates());
    // generated batches are made, saved and sent one at a time: 750 batches of 10,000 keys would
    // not fit a small heap all at once
    Iterator<DiagnosisKeyBatch> toSend =
        source.file != null ? read(source.file).iterator() : generate(validator, agreement);
    ManagedChannel channel = client.open(validator);
    try (OutputStream saved = save == null ? OutputStream.nullOutputStream() : create(save)) {
      client.checkNode(channel, agreement);
      PrintWriter out = spec.commandLine().getOut();
      while (toSend.hasNext()) {
        DiagnosisKeyBatch b = toSend.next();
        b.writeDelimitedTo(saved);
        out.println(describe(b) + ": " + (publish(channel, b) ? "already held" : "stored"));
        out.flush();
      }
      return NodeClient.EXIT_OK;
    } catch (IOException e) {
      throw new UserError("cannot write --save " + save + ": " + e, NodeClient.EXIT_LOCAL);
    } finally {
      channel.shutdownNow();
    }
  }

  private static OutputStream create(Path file) {
    try {
      return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
    } catch (IOException e) {
      throw new UserError("cannot write --save " + file + ": " + e, NodeClient.EXIT_LOCAL);
    }
  }

  private void checkOptions() {
    if (source.generate != null && (source.generate < 1 || source.generate > MAX_KEYS)) {
      throw client.usage("--generate must be in 1..10000 keys, got " + source.generate);
    }
    if (batches < 1 || batches > MAX_BATCHES) {
      throw client.usage("--batches must be in 1..100000, got " + batches);
    }
    if (source.file != null && (batches != 1 || sequence != null || save != null)) {
      throw client.usage("--batches, --sequence and --save go with --generate, not --batch");
    }
    if (sequence != null && sequence < 1) {
      throw client.usage("--sequence must be at least 1, got " + sequence);
    }
    if (save != null && Files.exists(save)) {
      throw new UserError("--save " + save + " already exists", NodeClient.EXIT_LOCAL);
    }
  }

  /** Sends one batch; returns whether the node already held it. */
  private boolean publish(ManagedChannel channel, DiagnosisKeyBatch batch) {
    try {
      PublishBatchResponse r =
          FederationGrpc.newBlockingStub(channel)
              .withDeadlineAfter(client.deadlineSeconds, TimeUnit.SECONDS)
              .publishBatch(PublishBatchRequest.newBuilder().setBatch(batch).build());
      return r.getDuplicate();
    } catch (StatusRuntimeException e) {
      throw NodeClient.failure("PublishBatch of " + describe(batch), e);
    }
  }

  /** "DE batch 0a1b... sequence 7 (1000 keys)". */
  static String describe(DiagnosisKeyBatch b) {
    return b.getOrigin()
        + " batch "
        + HexFormat.of().formatHex(b.getBatchId().toByteArray())
        + " sequence "
        + Long.toUnsignedString(b.getSequence())
        + " ("
        + b.getKeysCount()
        + " keys)";
  }

  /** Reads length-delimited batches. */
  static List<DiagnosisKeyBatch> read(Path file) {
    List<DiagnosisKeyBatch> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      for (DiagnosisKeyBatch b = DiagnosisKeyBatch.parseDelimitedFrom(in);
          b != null;
          b = DiagnosisKeyBatch.parseDelimitedFrom(in)) {
        out.add(b);
      }
    } catch (NoSuchFileException e) {
      throw new UserError("--batch " + file + " does not exist", NodeClient.EXIT_LOCAL);
    } catch (IOException e) {
      throw new UserError(
          "--batch "
              + file
              + " is not a sequence of length-delimited DiagnosisKeyBatch messages: "
              + e.getMessage(),
          NodeClient.EXIT_LOCAL);
    }
    if (out.isEmpty()) {
      throw new UserError("--batch " + file + " holds no batch", NodeClient.EXIT_LOCAL);
    }
    return out;
  }

  /** Writes length-delimited batches to a new file. */
  static void write(Path file, List<DiagnosisKeyBatch> batches) {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW)) {
      for (DiagnosisKeyBatch b : batches) {
        b.writeDelimitedTo(out);
      }
    } catch (IOException e) {
      throw new UserError("cannot write --save " + file + ": " + e, NodeClient.EXIT_LOCAL);
    }
  }

  private Iterator<DiagnosisKeyBatch> generate(
      CertificateValidator validator, Agreement agreement) {
    Instant now = Clock.systemUTC().instant();
    OperatorCredentials credentials;
    try {
      credentials = OperatorCredentials.load(client.tls, validator, now);
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw new UserError(
          "--tls " + client.tls + ": the batch-signing credentials are unusable: " + e.getMessage(),
          NodeClient.EXIT_LOCAL);
    }
    BatchSigner signer;
    try {
      signer =
          new BatchSigner(
              SigningKey.fromPrivateKey(credentials.signing().privateKey()),
              credentials.signing().certificate().getEncoded());
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new UserError(
          "signing.crt cannot be encoded: " + e.getMessage(), NodeClient.EXIT_LOCAL);
    }
    int days = Math.max(1, Math.min(13, agreement.retentionDays() - 1));
    long first = sequence != null ? sequence : now.toEpochMilli();
    return generated(
        signer, credentials.identity().country(), first, batches, source.generate, days, now);
  }

  /**
   * {@code batches} batches of {@code keys} random valid keys of the last {@code days} days,
   * numbered from {@code first}, each made and signed only when the iterator is asked for it.
   */
  static Iterator<DiagnosisKeyBatch> generated(
      BatchSigner signer, String origin, long first, int batches, int keys, int days, Instant now) {
    SecureRandom random = new SecureRandom();
    return new Iterator<>() {
      private int made;

      @Override
      public boolean hasNext() {
        return made < batches;
      }

      @Override
      public DiagnosisKeyBatch next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        byte[] id = new byte[CanonicalEncoding.BATCH_ID_LENGTH];
        random.nextBytes(id);
        return signer.sign(
            DiagnosisKeyBatch.newBuilder()
                .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
                .setBatchId(ByteString.copyFrom(id))
                .setOrigin(origin)
                .setSequence(first + made++)
                .setCreatedUnixSeconds(now.getEpochSecond())
                .addAllKeys(
                    CanonicalEncoding.sortedKeys(PublishCommand.keys(keys, days, now, random)))
                .build());
      }
    };
  }

  /** {@code n} random valid keys of the last {@code days} full days. */
  static List<DiagnosisKey> keys(int n, int days, Instant now, SecureRandom random) {
    long today = now.getEpochSecond() / 600 / 144 * 144;
    List<DiagnosisKey> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      byte[] data = new byte[16];
      random.nextBytes(data);
      DiagnosisKey.Builder k =
          DiagnosisKey.newBuilder()
              .setKeyData(ByteString.copyFrom(data))
              .setRollingStartIntervalNumber((int) (today - 144L * (1 + random.nextInt(days))))
              .setRollingPeriod(144)
              .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
              .setTransmissionRiskLevel(random.nextInt(9));
      if (random.nextBoolean()) {
        k.setDaysSinceOnsetOfSymptoms(random.nextInt(29) - 14);
      }
      out.add(k.build());
    }
    return out;
  }
}

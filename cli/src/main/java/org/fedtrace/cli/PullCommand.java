package org.fedtrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.exchange.BatchAdmission;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.RuleViolation;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace pull}: fetch a node's batches with PullBatches, or follow it live. */
@Command(
    name = "pull",
    mixinStandardHelpOptions = true,
    header = "Fetch a node's batches (PullBatches), or follow it live (SubscribeBatches).",
    description = {
      "Connects to the node over mutual TLS with the operator folder's TLS",
      "certificate, checks that it enforces the same agreement (GetNodeInfo),",
      "then fetches the batches after the cursor until the node reports that it",
      "is caught up; with --follow it keeps a stream open and receives each",
      "batch as the node commits it, resubscribing from the last cursor after a",
      "backoff with jitter when the stream ends (R10.9).",
      "",
      "Every batch is checked as a node checks a received one (R9.9: fields,",
      "keys, signer certificate, signature) and written as one JSON line:",
      "origin, batch_id (hex), sequence, created_unix_seconds, keys (the count),",
      "check (\"ok\" or the first rule it breaks) and, with --follow, cursor",
      "(hex; resume after this batch). Key material appears only with",
      "--with-keys. A last line on stderr (stdout with --out) sums up and gives",
      "the cursor to resume from."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:done (every batch passed the checks)",
      "1:local problem: unreadable or unusable operator folder, unwritable --out file",
      "2:bad command line",
      "3:the node refused a request (INVALID_ARGUMENT, PERMISSION_DENIED, ALREADY_EXISTS,"
          + " FAILED_PRECONDITION, UNAUTHENTICATED, NOT_FOUND, UNIMPLEMENTED); do not resend it",
      "4:the node could not be reached or asked to retry later (UNAVAILABLE, DEADLINE_EXCEEDED,"
          + " RESOURCE_EXHAUSTED)",
      "5:the node enforces another agreement than the operator folder's agreement.json (R7.10)",
      "6:done, but some batch failed the checks (see its check field)"
    })
public final class PullCommand implements Callable<Integer> {
  /** Exit status: a received batch failed the checks of R9.9. */
  static final int EXIT_BAD_BATCH = 6;

  /** Deadline of one subscription stream (spec §6.2: at most an hour, then resume). */
  static final long STREAM_SECONDS = 3600;

  private static final long RETRY_INITIAL_MILLIS = 500;
  private static final long RETRY_MAX_MILLIS = 30_000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HexFormat HEX = HexFormat.of();

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Mixin NodeClient client;

  @Option(
      names = "--cursor",
      paramLabel = "HEX",
      description = "Start after this cursor (from an earlier pull); default: the beginning.")
  String cursorHex;

  @Option(
      names = "--follow",
      description = "Subscribe and keep receiving new batches until --limit or Ctrl-C.")
  boolean follow;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Append the JSON lines to FILE (created if missing) instead of stdout.")
  Path out;

  @Option(
      names = "--with-keys",
      description = "Include each batch's keys (key data in hex and their metadata).")
  boolean withKeys;

  @Option(
      names = "--max-batches",
      defaultValue = "100",
      paramLabel = "N",
      description = "Batches per PullBatches page, 1..1000 (default: ${DEFAULT-VALUE}).")
  int maxBatches;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Stop after N batches (default: no limit).")
  Long limit;

  private BatchAdmission admission;
  private String peer;
  private long batches;
  private long keys;
  private long failed;

  /** The cursor after the last batch written: where a rerun resumes, also after a failure. */
  private ByteString resumeFrom;

  @Override
  public Integer call() {
    ByteString cursor = parseOptions();
    Agreement agreement = client.agreement(client.validator());
    CertificateValidator validator = client.validator().revoking(agreement.revokedCertificates());
    ManagedChannel channel = client.open(validator);
    try (Writer lines = output()) {
      GetNodeInfoResponse info = client.checkNode(channel, agreement);
      peer = info.getNode().getCountry() + "/" + info.getNode().getOperatorId();
      admission =
          new BatchAdmission(
              new BatchRules(
                  agreement.retentionDays(), Math.max(10_000, info.getMaxKeysPerBatch())),
              agreement.members(),
              validator,
              Clock.systemUTC());
      resumeFrom = cursor;
      try {
        cursor = follow ? follow(channel, cursor, lines) : pull(channel, cursor, lines);
      } catch (UserError e) {
        summary(resumeFrom); // the lines written stay valid: say where to go on from
        throw e;
      }
      summary(cursor);
      return failed > 0 ? EXIT_BAD_BATCH : NodeClient.EXIT_OK;
    } catch (IOException e) {
      throw new UserError("cannot write " + out + ": " + e.getMessage(), NodeClient.EXIT_LOCAL);
    } finally {
      channel.shutdownNow();
    }
  }

  private ByteString parseOptions() {
    if (maxBatches < 1 || maxBatches > 1000) {
      throw client.usage("--max-batches must be in 1..1000, got " + maxBatches);
    }
    if (limit != null && limit < 1) {
      throw client.usage("--limit must be at least 1, got " + limit);
    }
    if (cursorHex == null) {
      return ByteString.EMPTY;
    }
    try {
      return ByteString.copyFrom(HEX.parseHex(cursorHex));
    } catch (IllegalArgumentException e) {
      throw client.usage("--cursor must be hex digits, got '" + cursorHex + "'");
    }
  }

  private Writer output() {
    if (out == null) {
      PrintWriter stdout = spec.commandLine().getOut();
      return new Writer() {
        @Override
        public void write(char[] chars, int offset, int length) {
          stdout.write(chars, offset, length);
        }

        @Override
        public void flush() {
          stdout.flush();
        }

        @Override
        public void close() {
          stdout.flush();
        }
      };
    }
    try {
      return Files.newBufferedWriter(
          out, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UserError(
          "cannot write --out " + out + ": " + e.getMessage(), NodeClient.EXIT_LOCAL);
    }
  }

  /** PullBatches pages until caught up (or the limit); returns the cursor to resume from. */
  private ByteString pull(ManagedChannel channel, ByteString cursor, Writer lines)
      throws IOException {
    while (true) {
      PullBatchesResponse page;
      try {
        int pageSize = limit == null ? maxBatches : (int) Math.min(maxBatches, limit - batches);
        page =
            FederationGrpc.newBlockingStub(channel)
                .withDeadlineAfter(client.deadlineSeconds, TimeUnit.SECONDS)
                .pullBatches(
                    PullBatchesRequest.newBuilder()
                        .setCursor(cursor)
                        .setMaxBatches(pageSize)
                        .build());
      } catch (StatusRuntimeException e) {
        throw NodeClient.failure("PullBatches", e);
      }
      for (DiagnosisKeyBatch b : page.getBatchesList()) {
        write(lines, b, null);
      }
      cursor = page.getNextCursor();
      lines.flush();
      resumeFrom = cursor;
      if (page.getCaughtUp() || limitReached()) {
        return cursor;
      }
    }
  }

  /**
   * SubscribeBatches until the limit (or forever), resubscribing after a stream ends with
   * UNAVAILABLE, DEADLINE_EXCEEDED or OK (R10.9).
   */
  private ByteString follow(ManagedChannel channel, ByteString cursor, Writer lines)
      throws IOException {
    Random jitter = new Random();
    int failures = 0;
    while (!limitReached()) {
      Context.CancellableContext stream = Context.current().withCancellation();
      try {
        Iterator<SubscribeBatchesResponse> it;
        Context previous = stream.attach();
        try {
          it =
              FederationGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(STREAM_SECONDS, TimeUnit.SECONDS)
                  .subscribeBatches(SubscribeBatchesRequest.newBuilder().setCursor(cursor).build());
        } finally {
          stream.detach(previous);
        }
        while (!limitReached() && it.hasNext()) {
          SubscribeBatchesResponse r = it.next();
          failures = 0;
          if (r.hasBatch()) {
            write(lines, r.getBatch(), r.getCursor());
            lines.flush();
          }
          cursor = r.getCursor();
          resumeFrom = cursor;
        }
      } catch (StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        if (code != Status.Code.UNAVAILABLE && code != Status.Code.DEADLINE_EXCEEDED) {
          throw NodeClient.failure("SubscribeBatches", e);
        }
        failures = Math.min(failures + 1, 16);
        PrintWriter err = spec.commandLine().getErr();
        err.println(
            "fedtrace: "
                + NodeClient.failure("SubscribeBatches", e).getMessage()
                + "; resubscribing");
        err.flush();
      } finally {
        stream.cancel(null);
      }
      if (!limitReached()) {
        backoff(jitter, failures);
      }
    }
    return cursor;
  }

  private static void backoff(Random jitter, int failures) {
    long ceiling = Math.min(RETRY_MAX_MILLIS, RETRY_INITIAL_MILLIS << Math.max(0, failures - 1));
    try {
      TimeUnit.MILLISECONDS.sleep((long) (jitter.nextDouble() * ceiling));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("interrupted", NodeClient.EXIT_RETRY);
    }
  }

  private boolean limitReached() {
    return limit != null && batches >= limit;
  }

  /** Checks one batch and writes its JSON line. */
  private void write(Writer lines, DiagnosisKeyBatch b, ByteString cursor) throws IOException {
    String check = "ok";
    try {
      admission.admit(b, new byte[0], OperatorIdentity.parse(peer));
    } catch (RuleViolation v) {
      check = v.getMessage();
      failed++;
    }
    batches++;
    keys += b.getKeysCount();
    ObjectNode line = JSON.createObjectNode();
    line.put("origin", b.getOrigin());
    line.put("batch_id", HEX.formatHex(b.getBatchId().toByteArray()));
    line.put("sequence", new BigInteger(Long.toUnsignedString(b.getSequence())));
    line.put("created_unix_seconds", b.getCreatedUnixSeconds());
    line.put("keys", b.getKeysCount());
    line.put("check", check);
    if (cursor != null) {
      line.put("cursor", HEX.formatHex(cursor.toByteArray()));
    }
    if (withKeys) {
      ArrayNode list = line.putArray("diagnosis_keys");
      for (DiagnosisKey k : b.getKeysList()) {
        list.add(key(k));
      }
    }
    try {
      lines.write(JSON.writeValueAsString(line));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
    lines.write('\n');
  }

  private static ObjectNode key(DiagnosisKey k) {
    ObjectNode o = JSON.createObjectNode();
    o.put("key_data", HEX.formatHex(k.getKeyData().toByteArray()));
    o.put(
        "rolling_start_interval_number", Integer.toUnsignedLong(k.getRollingStartIntervalNumber()));
    o.put("rolling_period", Integer.toUnsignedLong(k.getRollingPeriod()));
    o.put("report_type", k.getReportType().name());
    if (k.hasDaysSinceOnsetOfSymptoms()) {
      o.put("days_since_onset_of_symptoms", k.getDaysSinceOnsetOfSymptoms());
    }
    o.put("transmission_risk_level", Integer.toUnsignedLong(k.getTransmissionRiskLevel()));
    ArrayNode visited = o.putArray("visited_countries");
    k.getVisitedCountriesList().forEach(visited::add);
    return o;
  }

  private void summary(ByteString cursor) {
    PrintWriter w = out == null ? spec.commandLine().getErr() : spec.commandLine().getOut();
    w.printf(
        "pulled %d batches (%d keys%s) from %s; resume with --cursor %s%n",
        batches,
        keys,
        failed == 0 ? "" : ", " + failed + " failed the checks",
        peer,
        cursor.isEmpty() ? "''" : HEX.formatHex(cursor.toByteArray()));
    w.flush();
  }
}

package org.fedtrace.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.security.SignatureException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.node.exchange.BatchAdmission;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;

/**
 * The receiving node's work per batch, one stage at a time on one thread, with the node's own
 * classes: where the time of an ingest goes, in nanoseconds per key and keys per second on one
 * core. Every stage runs over the same sample of batches, a few rounds to warm up, then once more
 * measured.
 */
final class StageProfile {
  private static final long WARMUP_NANOS = 2_000_000_000L;
  private static final int MEASURED_ROUNDS = 5;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  private final List<byte[]> requests;
  private final List<DiagnosisKeyBatch> batches = new ArrayList<>();
  private final List<byte[]> encodings = new ArrayList<>();
  private final CertificateValidator validator;
  private final BatchRules rules;
  private static final OperatorIdentity FROM = OperatorIdentity.parse("DE/op-de");

  private final BatchAdmission admission;
  private final Path storeDir;
  private final long keys;

  StageProfile(
      List<byte[]> requests,
      CertificateValidator validator,
      List<OperatorIdentity> members,
      Path storeDir)
      throws InvalidProtocolBufferException {
    this.requests = requests;
    this.validator = validator;
    this.rules = new BatchRules(14, 10_000);
    this.admission = new BatchAdmission(rules, members, validator, java.time.Clock.systemUTC());
    this.storeDir = storeDir;
    long n = 0;
    for (byte[] r : requests) {
      DiagnosisKeyBatch b = PublishBatchRequest.parseFrom(r).getBatch();
      batches.add(b);
      encodings.add(CanonicalEncoding.batch(b));
      n += b.getKeysCount();
    }
    this.keys = n;
  }

  /** One stage: work on batch {@code i} of the sample. */
  @FunctionalInterface
  interface Stage {
    void run(int i) throws Exception;
  }

  /** Runs every stage and prints its cost. */
  void run(PrintStream out) throws Exception {
    Instant now = Instant.now();
    Map<String, Stage> stages = new LinkedHashMap<>();
    stages.put("parse (protobuf, request bytes to message)", i -> parse(i));
    stages.put("serialize (message back to bytes)", i -> batches.get(i).toByteArray());
    stages.put(
        "rules (R8.2-R8.12, R4.1-R4.12, no certificate)",
        i -> rules.check(batches.get(i), now, der -> true));
    stages.put("signer certificate (parse, chain, purpose)", i -> signer(batches.get(i), now));
    stages.put("canonical encoding", i -> CanonicalEncoding.batch(batches.get(i)));
    stages.put("SHA-256 of the encoding", i -> Sha256.hash(encodings.get(i)));
    stages.put("Ed25519 verify of the encoding", i -> verify(i, now));
    stages.put(
        "admission (all of the above but parse)",
        i -> admission.admit(batches.get(i), requests.get(i), FROM));
    out.printf(
        "%n  stage profile: %,d keys in %d batches, one thread; CPU time, median of %d rounds"
            + " after 2 s warm-up%n",
        keys, batches.size(), MEASURED_ROUNDS);
    out.printf("  %-50s %12s %16s%n", "stage", "ns per key", "keys/s per core");
    for (Map.Entry<String, Stage> e : stages.entrySet()) {
      double ns = time(e.getValue());
      out.printf("  %-50s %12.1f %,16.0f%n", e.getKey(), ns, 1e9 / ns);
    }
    double[] commit = commit();
    out.printf(
        "  %-50s %12.1f %,16.0f   (wall clock %.1f ns per key, with fsync)%n",
        "commit (one batch per transaction)", commit[0], 1e9 / commit[0], commit[1]);
  }

  private void parse(int i) throws InvalidProtocolBufferException {
    PublishBatchRequest.parseFrom(requests.get(i));
  }

  private TrustedSigner signer(DiagnosisKeyBatch b, Instant now)
      throws CertificateRejectedException {
    return validator.validateBatchSigner(b.getSignerCertificate().toByteArray(), now);
  }

  private void verify(int i, Instant now) throws Exception {
    TrustedSigner s = signer(batches.get(i), now);
    try {
      s.key().verify(encodings.get(i), batches.get(i).getSignature().toByteArray());
    } catch (SignatureException e) {
      throw new IllegalStateException("a pre-signed batch does not verify", e);
    }
  }

  /**
   * Warms up for two seconds, then the median of five rounds over the sample, in CPU time of this
   * thread (other processes on the machine take turns on the cores, which wall time would count).
   */
  private double time(Stage stage) throws Exception {
    long warm = System.nanoTime() + WARMUP_NANOS;
    while (System.nanoTime() < warm) {
      for (int i = 0; i < batches.size(); i++) {
        stage.run(i);
      }
    }
    double[] rounds = new double[MEASURED_ROUNDS];
    for (int r = 0; r < rounds.length; r++) {
      long start = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < batches.size(); i++) {
        stage.run(i);
      }
      rounds[r] = (CPU.getCurrentThreadCpuTime() - start) / (double) keys;
    }
    java.util.Arrays.sort(rounds);
    return rounds[rounds.length / 2];
  }

  /**
   * Stores every batch of the sample in a fresh store, one transaction each.
   *
   * @return CPU and wall-clock nanoseconds per key
   */
  private double[] commit() {
    List<NewBatch> records = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      records.add(admission.admit(batches.get(i), requests.get(i), FROM));
    }
    try (Store store = SqliteStore.open(storeDir)) {
      long cpu = CPU.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      for (NewBatch b : records) {
        store.insertBatch(b, null, tx -> {});
      }
      return new double[] {
        (CPU.getCurrentThreadCpuTime() - cpu) / (double) keys,
        (System.nanoTime() - start) / (double) keys
      };
    }
  }
}

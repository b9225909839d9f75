package org.fedtrace.bench;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.Digest;
import org.fedtrace.export.ExportPolicy;
import org.fedtrace.export.Exporter;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.sql.SqliteStore;

/**
 * Export of a node's keys for phones (spec §24): one {@link Exporter} run over a SQLite store of
 * {@code --keys} keys of {@code --origins} origins, writing the hourly files of every origin and
 * the combined files, their ECDSA signatures and the indexes. A documented harness, not a timed
 * test.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar org.fedtrace.bench.ExportBenchmark \
 *     [--keys N (1000000)] [--origins N (4)] [--max-keys-per-file N (100000)] [--rounds N (4)]
 * </pre>
 *
 * <p>Each round exports the whole store into a fresh directory on the calling thread (the
 * exporter's only thread); the first round warms the JIT and is not counted. Per round it reports
 * the wall time and the CPU time of the exporting thread, and keys per CPU-second, which is the
 * figure per core. The signer is wrapped to sum the thread's CPU time inside ECDSA signing (SHA-256
 * of export.bin and the signature). Then, on the files of the last round, one thread times the
 * stages again alone: encoding export.bin (sorting included), deflating the zips, and writing the
 * files' bytes to disk (the I/O floor of the same output).
 */
public final class ExportBenchmark {
  private static final String USAGE =
      "usage: ExportBenchmark [--keys N (1000000)] [--origins N (4)] [--max-keys-per-file N"
          + " (100000)] [--rounds N (4)]";
  private static final String[] ORIGINS = {"DE", "FR", "IT", "BE", "NL", "AT", "PL", "ES"};
  private static final long DAY = 86_400;

  private final PrintStream out = System.out;
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private int keys = 1_000_000;
  private int origins = 4;
  private int maxKeysPerFile = 100_000;
  private int rounds = 4;
  private long signNanos;
  private long lastCpuNanos;
  private KeyPair key;

  private ExportBenchmark() {}

  /** Entry point; see the class comment for the options. */
  public static void main(String[] args) throws Exception {
    ExportBenchmark b = new ExportBenchmark();
    try {
      HarnessArgs.parse(args, USAGE, Set.of(), b::option);
    } catch (IllegalArgumentException e) {
      System.err.println("ExportBenchmark: " + e.getMessage() + "\n" + USAGE);
      System.exit(2);
      return;
    }
    b.run();
    System.exit(0);
  }

  private void option(String name, String value) {
    switch (name) {
      case "--keys" -> keys = HarnessArgs.positive(name, value);
      case "--origins" -> origins = Math.min(ORIGINS.length, HarnessArgs.positive(name, value));
      case "--max-keys-per-file" -> maxKeysPerFile = HarnessArgs.positive(name, value);
      case "--rounds" -> rounds = Math.max(2, HarnessArgs.positive(name, value));
      default -> throw new IllegalArgumentException("unknown option " + name);
    }
  }

  private void run() throws Exception {
    Path dir = Files.createTempDirectory("fedtrace-export-bench");
    long now = System.currentTimeMillis() / 1000;
    SecureRandom random = new SecureRandom();
    key = CertificateKeyType.ECDSA_P256.generate(random);
    GaenExportWriter plain =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("262", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(key.getPrivate(), bin));
    GaenExportWriter timed =
        new GaenExportWriter(new GaenExportWriter.SignatureInfo("262", "v1"), this::timedSign);
    out.printf(
        Locale.ROOT,
        "export of %,d keys of %d origins, files of at most %,d keys; machine load %s%s%n",
        keys,
        origins,
        maxKeysPerFile,
        MachineLoad.loadAverage(),
        MachineLoad.probe(2_000));
    try (SqliteStore store = SqliteStore.open(Files.createDirectories(dir.resolve("data")))) {
      fill(store, now, random);
      ExportPolicy policy = new ExportPolicy(7_200, 1_000, maxKeysPerFile, "ALL", 14);
      Path last = null;
      for (int r = 0; r < rounds; r++) {
        last = dir.resolve("out-" + r);
        signNanos = 0;
        long wall = System.nanoTime();
        long cpu = threads.getCurrentThreadCpuTime();
        Exporter.Result result = new Exporter(store, policy, timed, last, random, "DE").run(now);
        cpu = threads.getCurrentThreadCpuTime() - cpu;
        wall = System.nanoTime() - wall;
        lastCpuNanos = cpu;
        out.printf(
            Locale.ROOT,
            "round %d%s: %d files, %,d keys written, %.2f s wall, %.2f s CPU of the exporting"
                + " thread: %,.0f keys of the store per CPU-second (per core), signing %.1f %%%n",
            r + 1,
            r == 0 ? " (warm-up)" : "",
            result.files(),
            result.keys(),
            wall / 1e9,
            cpu / 1e9,
            keys / (cpu / 1e9),
            100.0 * signNanos / cpu);
      }
      for (int r = 0; r < 3; r++) {
        stages(last, plain, r == 2); // the first two warm the stages up
      }
    }
    out.printf("machine load after: %s%s%n", MachineLoad.loadAverage(), MachineLoad.probe(2_000));
  }

  private byte[] timedSign(byte[] bin) {
    long t = threads.getCurrentThreadCpuTime();
    byte[] sig = CertificateKeyType.ECDSA_P256.sign(key.getPrivate(), bin);
    signNanos += threads.getCurrentThreadCpuTime() - t;
    return sig;
  }

  /** Batches of 10,000 whole-day keys of the last ten days, round robin over the origins. */
  private void fill(SqliteStore store, long now, SecureRandom random) {
    long today = now / DAY;
    int sequence = 0;
    for (int done = 0; done < keys; done += 10_000) {
      String origin = ORIGINS[sequence % origins];
      DiagnosisKeyBatch.Builder b =
          DiagnosisKeyBatch.newBuilder()
              .setOrigin(origin)
              .setBatchId(ByteString.copyFrom(new byte[] {(byte) sequence, (byte) (sequence >> 8)}))
              .setSequence(++sequence)
              .setCreatedUnixSeconds(now);
      for (int i = 0; i < Math.min(10_000, keys - done); i++) {
        byte[] data = new byte[16];
        random.nextBytes(data);
        b.addKeys(
            DiagnosisKey.newBuilder()
                .setKeyData(ByteString.copyFrom(data))
                .setRollingStartIntervalNumber((int) ((today - 2 - random.nextInt(10)) * 144))
                .setRollingPeriod(144)
                .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
                .setTransmissionRiskLevel(random.nextInt(9))
                .setDaysSinceOnsetOfSymptoms(random.nextInt(15) - 7));
      }
      DiagnosisKeyBatch batch = b.build();
      byte[] digest = new byte[32];
      digest[0] = (byte) sequence;
      digest[1] = (byte) (sequence >> 8);
      store.insertBatch(
          new NewBatch(batch, batch.toByteArray(), Digest.of(digest), null, now), null, tx -> {});
    }
  }

  /** Encoding, deflating and writing the last round's files again, each stage alone. */
  private void stages(Path exported, GaenExportWriter writer, boolean print) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(exported)) {
      files =
          s.filter(p -> p.toString().endsWith(".zip")).sorted(Comparator.naturalOrder()).toList();
    }
    List<GaenExport> read = new ArrayList<>();
    for (Path f : files) {
      read.add(GaenExport.read(f));
    }
    long encode = 0;
    long zip = 0;
    long write = 0;
    long bytes = 0;
    Path scratch = Files.createDirectories(exported.resolveSibling("scratch"));
    for (int i = 0; i < read.size(); i++) {
      GaenExport e = read.get(i);
      GaenExportWriter.Content c =
          new GaenExportWriter.Content(
              e.region(), e.window(), e.batchNumber(), e.batchSize(), e.keys());
      long t = threads.getCurrentThreadCpuTime();
      byte[] bin = writer.encode(c);
      encode += threads.getCurrentThreadCpuTime() - t;
      byte[] sig = writer.signatureList(c, e.signatures().get(0));
      t = threads.getCurrentThreadCpuTime();
      byte[] z = GaenExportWriter.zip(bin, sig, e.endUnixSeconds());
      zip += threads.getCurrentThreadCpuTime() - t;
      t = threads.getCurrentThreadCpuTime();
      Files.write(scratch.resolve(i + ".zip"), z); // replaced in each repetition
      write += threads.getCurrentThreadCpuTime() - t;
      bytes += z.length;
    }
    if (!print) {
      return;
    }
    out.printf(
        Locale.ROOT,
        "stages alone, CPU of one thread over the last round's %d files (%,d bytes): encode"
            + " (sort included) %.2f s, deflate into zips %.2f s, write the bytes %.2f s%n",
        files.size(),
        bytes,
        encode / 1e9,
        zip / 1e9,
        write / 1e9);
    out.printf(
        Locale.ROOT,
        "shares of the last round's CPU: deflate %.1f %%, encode %.1f %%, write %.1f %%%n",
        100.0 * zip / lastCpuNanos,
        100.0 * encode / lastCpuNanos,
        100.0 * write / lastCpuNanos);
  }
}

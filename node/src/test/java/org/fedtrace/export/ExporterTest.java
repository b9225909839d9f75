package org.fedtrace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.Digest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export directory a node keeps: spec §24's release policy, layout and signatures. */
class ExporterTest {
  private static final long DAY = 86_400;
  private static final long HOUR = 3_600;

  /** Midnight UTC, 2026-12-01. */
  private static final long MIDNIGHT = 1_796_083_200L;

  private static final int MIN_KEYS = 140;
  private static final long DELAY = 7_200;

  @TempDir Path tmp;
  private Store store;
  private KeyPair signingKey;
  private final SecureRandom random = new SecureRandom();
  private int sequence;

  @BeforeEach
  void open() throws IOException {
    Files.createDirectories(tmp.resolve("db"));
    store = SqliteStore.open(tmp.resolve("db"));
    signingKey = CertificateKeyType.ECDSA_P256.generate(random);
  }

  @AfterEach
  void close() throws Exception {
    store.close();
  }

  private Exporter exporter(int maxKeysPerFile) {
    GaenExportWriter writer =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("262", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(signingKey.getPrivate(), bin));
    return new Exporter(
        store,
        new ExportPolicy(DELAY, MIN_KEYS, maxKeysPerFile, "ALL", 14),
        writer,
        tmp.resolve("out"),
        random,
        "DE");
  }

  private Exporter exporter() {
    return exporter(30_000);
  }

  /** A key valid for the whole day that starts at {@code dayStart}. */
  private DiagnosisKey key(long dayStart, ReportType type) {
    byte[] data = new byte[16];
    random.nextBytes(data);
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber((int) (dayStart / 600))
        .setRollingPeriod(144)
        .setReportType(type)
        .setTransmissionRiskLevel(3)
        .setDaysSinceOnsetOfSymptoms(0)
        .build();
  }

  private void store(String origin, List<DiagnosisKey> keys) {
    DiagnosisKeyBatch b =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion(1)
            .setOrigin(origin)
            .setBatchId(ByteString.copyFrom(new byte[] {(byte) ++sequence, 1}))
            .setSequence(sequence)
            .setCreatedUnixSeconds(MIDNIGHT)
            .addAllKeys(keys)
            .build();
    byte[] digest = new byte[32];
    digest[0] = (byte) sequence;
    store.insertBatch(
        new NewBatch(b, b.toByteArray(), Digest.of(digest), null, MIDNIGHT), null, tx -> {});
  }

  private Path out() {
    return tmp.resolve("out");
  }

  private List<Path> zips(String region, String series) throws IOException {
    Path dir = out().resolve(region).resolve(series);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.toString().endsWith(".zip")).sorted().toList();
    }
  }

  private static Set<ByteString> keyData(Path zip) throws IOException {
    Set<ByteString> out = new HashSet<>();
    GaenExport.read(zip).keys().forEach(k -> out.add(k.getKeyData()));
    return out;
  }

  @Test
  void R24_1_aKeyIsReleasedOnlyOnceItsValidityEndedAndTheDelayPassed() throws IOException {
    DiagnosisKey today = key(MIDNIGHT, ReportType.REPORT_TYPE_CONFIRMED_TEST);
    store("DE", List.of(today));
    long releasable = MIDNIGHT + DAY + DELAY;
    Exporter e = exporter();
    List<String> seenAt = new ArrayList<>();
    for (long now = MIDNIGHT + 60; now < MIDNIGHT + 2 * DAY; now += HOUR) {
      e.run(now);
      for (Path zip : zips("DE", "hourly")) {
        GaenExport x = GaenExport.read(zip);
        if (keyData(zip).contains(today.getKeyData())) {
          seenAt.add(x.endUnixSeconds() + "@" + now);
          assertTrue(now >= releasable, "released at " + now + ", before " + releasable);
          assertTrue(x.endUnixSeconds() >= releasable);
        }
      }
    }
    assertFalse(seenAt.isEmpty(), "the key was never released");
    assertEquals(releasable, Long.parseLong(seenAt.get(0).split("@")[0]));
  }

  @Test
  void R24_4_everyFileHoldsTheMinimumWithPaddingShapedLikeTheRealKeys() throws IOException {
    List<DiagnosisKey> real = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      real.add(key(MIDNIGHT - (i + 1) * DAY, ReportType.values()[1 + i]));
    }
    store("DE", real);
    exporter().run(MIDNIGHT + 5 * HOUR + 1);
    Path zip = zips("DE", "hourly").get(0);
    List<DiagnosisKey> keys = GaenExport.read(zip).keys();
    assertEquals(MIN_KEYS, keys.size());
    Map<List<Integer>, Integer> shapes = new HashMap<>();
    for (DiagnosisKey r : real) {
      shapes.put(shape(r), 0);
    }
    Set<ByteString> distinct = new HashSet<>();
    for (DiagnosisKey k : keys) {
      assertTrue(shapes.containsKey(shape(k)), "padding metadata not of a real key: " + k);
      shapes.merge(shape(k), 1, Integer::sum);
      assertEquals(16, k.getKeyData().size());
      distinct.add(k.getKeyData());
    }
    assertEquals(MIN_KEYS, distinct.size());
    int most = shapes.values().stream().max(Integer::compare).orElseThrow();
    int fewest = shapes.values().stream().min(Integer::compare).orElseThrow();
    assertTrue(most - fewest <= 1, "lookalikes unevenly spread: " + shapes);
    // the combined file holds the origin's file, padding included
    assertEquals(keyData(zip), keyData(zips("ALL", "hourly").get(0)));
  }

  private static List<Integer> shape(DiagnosisKey k) {
    return List.of(
        k.getRollingStartIntervalNumber(),
        k.getRollingPeriod(),
        k.getReportTypeValue(),
        k.getTransmissionRiskLevel(),
        k.hasDaysSinceOnsetOfSymptoms() ? k.getDaysSinceOnsetOfSymptoms() : 99);
  }

  @Test
  void R24_7_aWindowWithoutKeysStillGetsAFullCombinedFileOfReleasableKeys() throws IOException {
    long now = MIDNIGHT + 3 * HOUR + 5;
    exporter().run(now);
    List<DiagnosisKey> keys = GaenExport.read(zips("ALL", "hourly").get(0)).keys();
    assertEquals(MIN_KEYS, keys.size());
    for (DiagnosisKey k : keys) {
      assertTrue(Release.releasableAt(k, DELAY) <= MIDNIGHT + 3 * HOUR, k.toString());
      assertTrue(Release.releasableAt(k, DELAY) > MIDNIGHT - 16 * DAY, k.toString());
    }
    assertTrue(zips("DE", "hourly").isEmpty());
  }

  @Test
  void R24_13_keysAreSortedOnTheirBytesAndSplitIntoABatchOfFiles() throws IOException {
    List<DiagnosisKey> real = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      real.add(key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST));
    }
    store("FR", real);
    exporter(2 * MIN_KEYS).run(MIDNIGHT + HOUR);
    List<Path> files = zips("FR", "hourly");
    assertEquals(3, files.size());
    byte[] previous = null;
    Set<ByteString> all = new HashSet<>();
    for (int n = 1; n <= 3; n++) {
      GaenExport x = GaenExport.read(files.get(n - 1));
      assertEquals(n, x.batchNumber());
      assertEquals(3, x.batchSize());
      for (DiagnosisKey k : x.keys()) {
        byte[] data = k.getKeyData().toByteArray();
        if (previous != null) {
          assertTrue(Arrays.compareUnsigned(previous, data) < 0, "keys out of order");
        }
        previous = data;
        all.add(k.getKeyData());
      }
    }
    real.forEach(k -> assertTrue(all.contains(k.getKeyData())));
    assertEquals(700, all.size());
  }

  @Test
  void R24_4_everyFileOfASplitWindowHoldsTheMinimum() throws IOException {
    // one key more than a file holds: two files, each at least the minimum
    List<DiagnosisKey> real = new ArrayList<>();
    for (int i = 0; i < 2 * MIN_KEYS + 1; i++) {
      real.add(key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST));
    }
    store("FR", real);
    exporter(2 * MIN_KEYS).run(MIDNIGHT + HOUR);
    List<Path> files = zips("FR", "hourly");
    assertEquals(2, files.size());
    for (Path f : files) {
      assertTrue(GaenExport.read(f).keys().size() >= MIN_KEYS, f.toString());
    }
    // a smaller maximum would split a window into files below the minimum
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new ExportPolicy(DELAY, MIN_KEYS, 2 * MIN_KEYS - 1, "ALL", 14));
    assertEquals(
        "maxKeysPerFile: must be in 2 x minKeys..400000, got 279 with minKeys 140", e.getMessage());
  }

  @Test
  void R24_14_aRevokedKeyIsWrittenAsARevisedKey() throws IOException {
    DiagnosisKey revoked = key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_REVOKED);
    store("DE", List.of(revoked, key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST)));
    exporter().run(MIDNIGHT + HOUR);
    GaenExport x = GaenExport.read(zips("DE", "hourly").get(0));
    DiagnosisKey read =
        x.keys().stream()
            .filter(k -> k.getKeyData().equals(revoked.getKeyData()))
            .findFirst()
            .orElseThrow();
    assertEquals(ReportType.REPORT_TYPE_REVOKED, read.getReportType());
    assertTrue(ExportBinFields.revisedKeyData(x.exportBin()).contains(revoked.getKeyData()));
  }

  @Test
  void R24_8_filesPerOriginAndCombinedVerifyAndTheIndexListsThem() throws Exception {
    store("DE", List.of(key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST)));
    store("FR", List.of(key(MIDNIGHT - 3 * DAY, ReportType.REPORT_TYPE_SELF_REPORT)));
    exporter().run(MIDNIGHT + HOUR + 10);
    Set<ByteString> union = new HashSet<>(keyData(zips("DE", "hourly").get(0)));
    union.addAll(keyData(zips("FR", "hourly").get(0)));
    Path combined = zips("ALL", "hourly").get(0);
    assertEquals(union, keyData(combined));
    GaenExport x = GaenExport.read(combined);
    x.verify(signingKey.getPublic());
    assertEquals("ALL", x.region());
    assertEquals(MIDNIGHT, x.startUnixSeconds());
    assertEquals(MIDNIGHT + HOUR, x.endUnixSeconds());
    List<String> top = Files.readAllLines(out().resolve("index.txt"));
    assertTrue(top.contains("DE/hourly/index.txt"), top.toString());
    assertTrue(top.contains("ALL/hourly/index.txt"), top.toString());
    assertEquals(
        List.of("FR/hourly/" + MIDNIGHT + "-" + (MIDNIGHT + HOUR) + "-00001.zip"),
        Files.readAllLines(out().resolve("FR/hourly/index.txt")));
  }

  @Test
  void aBatchThatArrivesAfterItsWindowGoesIntoTheNextWindowOnce() throws IOException {
    Exporter e = exporter();
    e.run(MIDNIGHT + HOUR);
    DiagnosisKey late = key(MIDNIGHT - 3 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST);
    store("DE", List.of(late));
    assertEquals(0, e.run(MIDNIGHT + HOUR + 1800).files(), "the hour is already published");
    e.run(MIDNIGHT + 2 * HOUR);
    e.run(MIDNIGHT + 3 * HOUR);
    List<Path> files = zips("DE", "hourly");
    assertEquals(1, files.size());
    assertEquals(MIDNIGHT + 2 * HOUR, GaenExport.read(files.get(0)).endUnixSeconds());
    assertTrue(keyData(files.get(0)).contains(late.getKeyData()));
  }

  @Test
  void R24_8_aDailyFileIsTheUnionOfItsHourlyFiles() throws IOException {
    Exporter e = exporter();
    e.run(MIDNIGHT + 60);
    for (int h = 1; h <= 24; h++) {
      if (h == 5 || h == 17) {
        store("DE", List.of(key(MIDNIGHT - 2 * DAY, ReportType.REPORT_TYPE_CONFIRMED_TEST)));
      }
      e.run(MIDNIGHT + h * HOUR);
    }
    Set<ByteString> hourly = new HashSet<>();
    for (Path p : zips("DE", "hourly")) {
      hourly.addAll(keyData(p));
    }
    List<Path> daily = zips("DE", "daily");
    assertEquals(1, daily.size());
    assertEquals(hourly, keyData(daily.get(0)));
    assertEquals(2 * MIN_KEYS, hourly.size());
    GaenExport d = GaenExport.read(daily.get(0));
    assertEquals(MIDNIGHT, d.startUnixSeconds());
    assertEquals(MIDNIGHT + DAY, d.endUnixSeconds());
  }

  @Test
  void R24_9_anIncompleteStagingAreaIsDiscardedAndNeverServed() throws IOException {
    Path staged = out().resolve(".staging/DE/hourly/1-2-00001.zip");
    Files.createDirectories(staged.getParent());
    Files.write(staged, new byte[] {1});
    exporter().run(MIDNIGHT + HOUR);
    assertFalse(Files.exists(out().resolve(".staging")));
    assertTrue(zips("DE", "hourly").isEmpty());
  }
}

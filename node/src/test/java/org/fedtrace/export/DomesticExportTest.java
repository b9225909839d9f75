package org.fedtrace.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.crypto.Digest;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keys of domestic-only uploads reach the node's own phones through its exports (spec R25.14 to
 * R25.17): in its own series and the combined one, under the embargo, once, mixed with its batch
 * keys, and never in another origin's series.
 */
class DomesticExportTest {
  private static final long DAY = 86_400;
  private static final long HOUR = 3_600;

  /** Midnight UTC, 2026-12-01. */
  private static final long MIDNIGHT = 1_796_083_200L;

  private static final long DELAY = 7_200;

  @TempDir Path tmp;
  private Store store;
  private KeyPair signingKey;
  private final SecureRandom random = new SecureRandom();
  private int uploads;

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

  private Exporter exporter() {
    GaenExportWriter writer =
        new GaenExportWriter(
            new GaenExportWriter.SignatureInfo("262", "v1"),
            bin -> CertificateKeyType.ECDSA_P256.sign(signingKey.getPrivate(), bin));
    return new Exporter(
        store, new ExportPolicy(DELAY, 140, 30_000, "ALL", 14), writer, out(), random, "DE");
  }

  private Path out() {
    return tmp.resolve("out");
  }

  /** A key valid for the whole day that starts at {@code dayStart}. */
  private DiagnosisKey key(long dayStart) {
    byte[] data = new byte[16];
    random.nextBytes(data);
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber((int) (dayStart / 600))
        .setRollingPeriod(144)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .setTransmissionRiskLevel(3)
        .build();
  }

  /** Accepts an upload of {@code keys} with {@code scope}, as the upload service does. */
  private void upload(List<DiagnosisKey> keys, int scope, long acceptedAt) {
    byte[] id = {(byte) ++uploads, 7};
    List<byte[]> raw = keys.stream().map(DiagnosisKey::toByteArray).toList();
    store.write(
        tx -> {
          tx.uploads()
              .accept(new AcceptedUpload(id, acceptedAt + DAY, acceptedAt, raw, null, scope));
          return null;
        });
  }

  private void batch(String origin, List<DiagnosisKey> keys) {
    DiagnosisKeyBatch b =
        DiagnosisKeyBatch.newBuilder()
            .setFormatVersion(1)
            .setOrigin(origin)
            .setBatchId(ByteString.copyFrom(new byte[] {(byte) ++uploads, 1}))
            .setSequence(uploads)
            .setCreatedUnixSeconds(MIDNIGHT)
            .addAllKeys(keys)
            .build();
    byte[] digest = new byte[32];
    digest[0] = (byte) uploads;
    store.insertBatch(
        new NewBatch(b, b.toByteArray(), Digest.of(digest), null, MIDNIGHT), null, tx -> {});
  }

  private Set<ByteString> keysIn(String region, String series) throws IOException {
    Set<ByteString> keys = new HashSet<>();
    for (Path zip : zips(region, series)) {
      GaenExport.read(zip).keys().forEach(k -> keys.add(k.getKeyData()));
    }
    return keys;
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

  private static Set<ByteString> data(List<DiagnosisKey> keys) {
    Set<ByteString> out = new HashSet<>();
    keys.forEach(k -> out.add(k.getKeyData()));
    return out;
  }

  @Test
  void R25_14_domesticOnlyKeysGoToTheHomeSeriesAndTheCombinedOne() throws IOException {
    List<DiagnosisKey> domestic = List.of(key(MIDNIGHT - 2 * DAY), key(MIDNIGHT - DAY));
    List<DiagnosisKey> federate = List.of(key(MIDNIGHT - 3 * DAY));
    List<DiagnosisKey> french = List.of(key(MIDNIGHT - 2 * DAY));
    upload(domestic, AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT);
    batch("DE", federate);
    batch("FR", french);
    exporter().run(MIDNIGHT + 3 * HOUR + 1);

    List<Path> de = zips("DE", "hourly");
    assertEquals(1, de.size(), "one file of the window, not a series of its own (R25.17)");
    Set<ByteString> home = keysIn("DE", "hourly");
    assertTrue(home.containsAll(data(domestic)), "domestic-only keys in DE's file");
    assertTrue(home.containsAll(data(federate)), "beside the keys of DE's batches");
    assertTrue(keysIn("ALL", "hourly").containsAll(data(domestic)), "and in the combined file");
    Set<ByteString> fr = keysIn("FR", "hourly");
    assertTrue(fr.containsAll(data(french)));
    for (DiagnosisKey k : domestic) {
      assertFalse(fr.contains(k.getKeyData()), "a domestic-only key in FR's series (R25.15)");
    }
    try (Stream<Path> regions = Files.list(out())) {
      assertEquals(
          Set.of("ALL", "DE", "FR"),
          new HashSet<>(
              regions
                  .filter(Files::isDirectory)
                  .map(p -> p.getFileName().toString())
                  .filter(n -> !n.startsWith("."))
                  .toList()));
    }
  }

  @Test
  void R25_16_aDomesticKeyIsReleasedAfterTheEmbargoAndExactlyOnce() throws IOException {
    DiagnosisKey today = key(MIDNIGHT);
    upload(List.of(today), AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT + HOUR);
    long releasable = MIDNIGHT + DAY + DELAY;
    Exporter e = exporter();
    List<Long> releasedIn = new ArrayList<>();
    for (long now = MIDNIGHT + 2 * HOUR + 1; now < MIDNIGHT + 2 * DAY + HOUR; now += HOUR) {
      e.run(now);
    }
    for (Path zip : zips("DE", "hourly")) {
      GaenExport x = GaenExport.read(zip);
      if (x.keys().stream().anyMatch(k -> k.getKeyData().equals(today.getKeyData()))) {
        releasedIn.add(x.endUnixSeconds());
      }
    }
    assertEquals(List.of(releasable), releasedIn, "released once, at its end plus the delay");
    assertTrue(keysIn("DE", "daily").contains(today.getKeyData()), "and in its day's file");
  }

  @Test
  void R25_16_aDirectoryWrittenBeforeDomesticExportsReleasesTheHeldKeysOnce() throws IOException {
    Exporter e = exporter();
    e.run(MIDNIGHT + HOUR + 1);
    // what an exporter before 0.8.0 left: window end, position, day end, and no domestic id; the
    // node held a domestic-only key it never released
    Files.writeString(out().resolve(".state"), (MIDNIGHT + HOUR) + " 0 " + MIDNIGHT + "\n");
    DiagnosisKey held = key(MIDNIGHT - 2 * DAY);
    upload(List.of(held), AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT - DAY);
    e.run(MIDNIGHT + 2 * HOUR + 1);
    e.run(MIDNIGHT + 3 * HOUR + 1);
    List<Long> releasedIn = new ArrayList<>();
    for (Path zip : zips("DE", "hourly")) {
      GaenExport x = GaenExport.read(zip);
      if (x.keys().stream().anyMatch(k -> k.getKeyData().equals(held.getKeyData()))) {
        releasedIn.add(x.endUnixSeconds());
      }
    }
    assertEquals(List.of(MIDNIGHT + 2 * HOUR), releasedIn, "in the next window, once");
    assertEquals(
        MIDNIGHT + 3 * HOUR + " 0 " + MIDNIGHT + " 1",
        Files.readString(out().resolve(".state")).strip());
  }

  @Test
  void federatingKeysReachTheExportOnlyThroughTheirBatch() throws IOException {
    DiagnosisKey waiting = key(MIDNIGHT - 2 * DAY);
    upload(List.of(waiting), AcceptedUpload.FEDERATE, MIDNIGHT);
    exporter().run(MIDNIGHT + 3 * HOUR + 1);
    assertFalse(
        keysIn("ALL", "hourly").contains(waiting.getKeyData()),
        "a pending federating key is released with its batch, not from the upload");
  }

  @Test
  void R25_16_aPurgedDomesticKeyDoesNotMoveTheCutBack() throws IOException {
    upload(List.of(key(MIDNIGHT - 2 * DAY)), AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT - 20 * DAY);
    DiagnosisKey fresh = key(MIDNIGHT - DAY);
    upload(List.of(fresh), AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT);
    Exporter e = exporter();
    e.run(MIDNIGHT + HOUR + 1);
    store.write(
        tx -> {
          tx.uploads().forgetExpiredBefore(MIDNIGHT + 1);
          return null;
        });
    assertEquals(0L, (long) store.read(tx -> tx.uploads().lastDomesticId()));
    e.run(MIDNIGHT + 2 * HOUR + 1);
    assertTrue(
        Files.readString(out().resolve(".state")).strip().endsWith(" 2"),
        "the cut stays at the last id read");
    DiagnosisKey next = key(MIDNIGHT - DAY);
    upload(List.of(next), AcceptedUpload.DOMESTIC_ONLY, MIDNIGHT + 2 * HOUR);
    e.run(MIDNIGHT + 3 * HOUR + 1);
    int seen = 0;
    for (Path zip : zips("DE", "hourly")) {
      Set<ByteString> in = new HashSet<>();
      GaenExport.read(zip).keys().forEach(k -> in.add(k.getKeyData()));
      seen += in.contains(next.getKeyData()) ? 1 : 0;
      assertFalse(
          in.contains(fresh.getKeyData()) && in.contains(next.getKeyData()), "fresh went twice");
    }
    assertEquals(1, seen, "a key uploaded after the purge is released once");
  }
}

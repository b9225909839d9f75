package org.fedtrace.conformance.cases;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.ExportSite;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.wire.ExportFiles;

/**
 * Spec §24: the key export files a node publishes for phones, read as a phone reads them, from the
 * root the operator names ({@code --exports}), through the layout of §24.6. The cases check what
 * any download shows: windows, order, revised keys, padding to the minimum, the embargo, the
 * unions, and the signatures. Each reads the same snapshot: the last {@value
 * ExportSite#FILES_PER_SERIES} files of every series, fetched once.
 */
public final class ExportCases extends CaseBase {
  /** The least export delay the spec allows (R24.2). */
  static final long MIN_DELAY_SECONDS = 7_200;

  /** The least minimum of keys per file the spec allows (R24.5). */
  static final int MIN_KEYS = 140;

  /** How far the node's clock may be ahead of UTC (R1.1). */
  static final long SKEW_SECONDS = 300;

  /** The ECDSA P-256 with SHA-256 signature algorithm's OID (R24.15). */
  static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";

  static final int REPORT_TYPE_REVOKED = 5;

  private static final Pattern SERIES =
      Pattern.compile("([A-Za-z0-9]{1,16}|[A-Z]{2}-[a-z0-9-]{1,32})/(hourly|daily)/index\\.txt");

  /** An origin's region (§24.6, §26.2): a country, or a member origin CC-operator-id. */
  private static final String ORIGIN_REGION = "[A-Z]{2}(-[a-z0-9-]{1,32})?";

  public ExportCases(Session s) {
    super(s);
  }

  private ExportSite site() {
    return s.target().exports().orElseThrow();
  }

  /** The snapshot; a failure to read it fails the case. */
  private ExportSite.Snapshot snapshot() {
    try {
      return site().snapshot();
    } catch (IOException e) {
      throw new AssertionError(
          "cannot read the export files at " + site().location() + ": " + e.getMessage(), e);
    }
  }

  /** Every file read; skips the case when the node published none yet. */
  private List<ExportSite.Listed> files() {
    List<ExportSite.Listed> files = snapshot().files();
    if (files.isEmpty()) {
      throw new Skipped("the node lists no export file yet (its first window has not ended)");
    }
    return files;
  }

  /**
   * R24.19: the root's {@code index.txt} names series indexes {@code REGION/hourly/index.txt} or
   * {@code REGION/daily/index.txt}; each lists files under its own folder, and every file listed
   * can be fetched, is an export zip, and names the series' region.
   */
  @Needs(Need.EXPORTS)
  public void R24_19_listsEverySeriesAndItsFilesUnderTheRoot() {
    layout(snapshot());
  }

  static void layout(ExportSite.Snapshot snapshot) {
    Map<String, List<ExportSite.Listed>> series = snapshot.series();
    Expect.check(!series.isEmpty(), "the root index.txt names no series");
    for (Map.Entry<String, List<ExportSite.Listed>> e : series.entrySet()) {
      Matcher m = SERIES.matcher(e.getKey());
      Expect.check(
          m.matches(),
          "series index '" + e.getKey() + "' is not REGION/hourly/index.txt or REGION/daily/...");
      String folder = m.group(1) + "/" + m.group(2) + "/";
      for (ExportSite.Listed f : e.getValue()) {
        Expect.check(f.path().startsWith(folder), f.path() + " is not under " + folder);
        Expect.equal(m.group(1), f.file().region(), "region of " + f.path());
      }
    }
  }

  /** R24.10: every window starts and ends on a whole UTC hour, and ends after it starts. */
  @Needs(Need.EXPORTS)
  public void R24_10_windowsStartAndEndOnWholeHours() {
    windows(files());
  }

  static void windows(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      ExportFiles.File x = f.file();
      Expect.check(
          x.start() % 3600 == 0 && x.end() % 3600 == 0 && x.end() > x.start(),
          f.path() + ": window [" + x.start() + ", " + x.end() + ") is not of whole hours");
    }
  }

  /** R24.11: no file listed now has a window that has not ended (with R1.1's skew). */
  @Needs(Need.EXPORTS)
  public void R24_11_listsNoFileBeforeItsWindowEnds() {
    ended(files(), Instant.now().getEpochSecond());
  }

  static void ended(List<ExportSite.Listed> files, long now) {
    for (ExportSite.Listed f : files) {
      Expect.check(
          f.file().end() <= now + SKEW_SECONDS,
          f.path() + ": published before its window ends at " + f.file().end());
    }
  }

  /**
   * R24.1 (with R24.2 and §24.3): a file holds only keys released in its window, so every key's end
   * plus the least export delay is at most the window's end; a key still valid, or ended less than
   * two hours before, is never in a file yet.
   */
  @Needs(Need.EXPORTS)
  public void R24_1_releasesNoKeyBeforeItsEndPlusTwoHours() {
    embargo(files());
  }

  static void embargo(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      for (ExportFiles.Key k : f.file().allKeys()) {
        Expect.check(
            k.endUnixSeconds() + MIN_DELAY_SECONDS <= f.file().end(),
            f.path()
                + ": a key ending at "
                + k.endUnixSeconds()
                + " is released in a window ending at "
                + f.file().end());
      }
    }
  }

  /** R24.4 (with R24.5): every file holds at least 140 keys, revised keys included. */
  @Needs(Need.EXPORTS)
  @Covers("R24.5")
  public void R24_4_everyFileHoldsAtLeast140Keys() {
    minimum(files());
  }

  static void minimum(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      int n = f.file().allKeys().size();
      Expect.check(n >= MIN_KEYS, f.path() + ": " + n + " keys, fewer than " + MIN_KEYS);
    }
  }

  /**
   * R24.13: the keys of a file (and its revised keys) ascend by their bytes as unsigned numbers,
   * each 16 bytes long.
   */
  @Needs(Need.EXPORTS)
  public void R24_13_keysAscendByTheirBytes() {
    order(files());
  }

  static void order(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      for (List<ExportFiles.Key> list : List.of(f.file().keys(), f.file().revisedKeys())) {
        byte[] previous = null;
        for (ExportFiles.Key k : list) {
          Expect.check(k.keyData().length == 16, f.path() + ": a key_data of other than 16 bytes");
          Expect.check(
              previous == null || Arrays.compareUnsigned(previous, k.keyData()) < 0,
              f.path() + ": keys not in ascending order of key_data");
          previous = k.keyData();
        }
      }
    }
  }

  /** R24.14: revoked keys are revised keys (field 8), and no other key is. */
  @Needs(Need.EXPORTS)
  public void R24_14_revokedKeysAreRevisedKeysAndOnlyThey() {
    revised(files());
  }

  static void revised(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      for (ExportFiles.Key k : f.file().keys()) {
        Expect.check(
            k.reportType() != REPORT_TYPE_REVOKED, f.path() + ": a revoked key in keys (field 7)");
      }
      for (ExportFiles.Key k : f.file().revisedKeys()) {
        Expect.check(
            k.reportType() == REPORT_TYPE_REVOKED,
            f.path() + ": a key of report type " + k.reportType() + " in revised_keys (field 8)");
      }
    }
  }

  /**
   * R24.15: every file names its signing key (verification key id and version, the ECDSA P-256 /
   * SHA-256 algorithm), and export.sig carries a signature of that key with the file's batch number
   * and size.
   */
  @Needs(Need.EXPORTS)
  public void R24_15_namesItsSigningKeyInEveryFile() {
    signatureInfos(files());
  }

  static void signatureInfos(List<ExportSite.Listed> files) {
    for (ExportSite.Listed f : files) {
      ExportFiles.File x = f.file();
      Expect.check(!x.infos().isEmpty(), f.path() + ": no signature_infos");
      for (ExportFiles.SignatureInfo i : x.infos()) {
        Expect.check(
            !i.keyId().isEmpty() && !i.keyVersion().isEmpty(),
            f.path() + ": a signature info without verification key id or version");
        Expect.equal(ECDSA_SHA256, i.algorithm(), f.path() + ": signature algorithm");
      }
      Expect.check(!x.signatures().isEmpty(), f.path() + ": export.sig holds no signature");
      for (ExportFiles.Signature sig : x.signatures()) {
        Expect.check(
            x.infos().contains(sig.info()),
            f.path() + ": a signature whose info the file does not list");
        Expect.check(
            sig.batchNum() == x.batchNum() && sig.batchSize() == x.batchSize(),
            f.path() + ": signature batch " + sig.batchNum() + "/" + sig.batchSize());
      }
    }
  }

  /**
   * R24.15: with the export-signing public key the operator gives ({@code --export-key}), every
   * file's signature verifies over the whole of export.bin.
   */
  @Needs(Need.EXPORTS)
  public void R24_15_signaturesVerifyUnderTheExportKey() throws GeneralSecurityException {
    PublicKey key =
        site()
            .key()
            .orElseThrow(
                () -> new Skipped("no export-signing public key was given (--export-key PEM)"));
    signatures(files(), key);
  }

  static void signatures(List<ExportSite.Listed> files, PublicKey key)
      throws GeneralSecurityException {
    for (ExportSite.Listed f : files) {
      boolean verified = false;
      for (ExportFiles.Signature sig : f.file().signatures()) {
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(key);
        v.update(f.file().bin());
        try {
          verified |= v.verify(sig.signature());
        } catch (java.security.SignatureException e) {
          // not DER: not a valid signature
        }
      }
      Expect.check(verified, f.path() + ": no signature verifies under the export key");
    }
  }

  /**
   * R24.8: every key of an origin's hourly file is in the combined files (the series whose region
   * is not a two-letter code) covering its window, and in the origin's daily file of that day.
   */
  @Needs(Need.EXPORTS)
  public void R24_8_combinedAndDailyFilesHoldEveryKeyOfTheOriginFiles() {
    if (unions(snapshot()) == 0) {
      throw new Skipped("no origin hourly file has its combined or daily file among those read");
    }
  }

  /** Checks R24.8; returns the comparisons made. */
  static int unions(ExportSite.Snapshot snapshot) {
    Map<String, List<ExportSite.Listed>> series = snapshot.series();
    int compared = 0;
    for (Map.Entry<String, List<ExportSite.Listed>> e : series.entrySet()) {
      Matcher m = SERIES.matcher(e.getKey());
      if (!m.matches() || !m.group(1).matches(ORIGIN_REGION) || !m.group(2).equals("hourly")) {
        continue;
      }
      for (ExportSite.Listed f : e.getValue()) {
        for (List<ExportSite.Listed> cover : covers(series, m.group(1), f.file())) {
          Set<String> union = new HashSet<>();
          cover.forEach(
              c ->
                  c.file()
                      .allKeys()
                      .forEach(k -> union.add(HexFormat.of().formatHex(k.keyData()))));
          for (ExportFiles.Key k : f.file().allKeys()) {
            Expect.check(
                union.contains(HexFormat.of().formatHex(k.keyData())),
                f.path() + ": a key missing from " + cover.get(0).path());
          }
          compared++;
        }
      }
    }
    return compared;
  }

  /**
   * The files covering {@code f}'s window: those of the combined hourly series with the same
   * window, and those of the origin's daily series whose day holds it; one list per series.
   */
  private static List<List<ExportSite.Listed>> covers(
      Map<String, List<ExportSite.Listed>> series, String origin, ExportFiles.File f) {
    List<List<ExportSite.Listed>> out = new ArrayList<>();
    for (Map.Entry<String, List<ExportSite.Listed>> e : series.entrySet()) {
      Matcher m = SERIES.matcher(e.getKey());
      if (!m.matches()) {
        continue;
      }
      boolean combined = !m.group(1).matches(ORIGIN_REGION) && m.group(2).equals("hourly");
      boolean daily = m.group(1).equals(origin) && m.group(2).equals("daily");
      if (!combined && !daily) {
        continue;
      }
      List<ExportSite.Listed> cover = new ArrayList<>();
      for (ExportSite.Listed c : e.getValue()) {
        if (c.file().start() <= f.start() && c.file().end() >= f.end()) {
          cover.add(c);
        }
      }
      if (!cover.isEmpty()) {
        out.add(cover);
      }
    }
    return out;
  }
}

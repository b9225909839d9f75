package org.fedtrace.export;

/**
 * The release policy of key exports (spec §24.2).
 *
 * @param delaySeconds how long after the end of a key's validity it may first be released (R24.1)
 * @param minKeys the fewest keys a file holds; fewer real keys are padded (R24.4)
 * @param maxKeysPerFile the most keys one file holds; more are split evenly into a batch of files
 *     (at least twice {@code minKeys}, so that no file of the batch holds fewer than the minimum)
 * @param combinedRegion the region name of the files that combine every origin
 * @param indexDays how many days of files the index lists; older files are deleted
 */
public record ExportPolicy(
    long delaySeconds, int minKeys, int maxKeysPerFile, String combinedRegion, int indexDays) {
  /** The smallest delay the spec allows: phones match RPIs up to two hours late (R24.2). */
  public static final long MIN_DELAY_SECONDS = 7_200;

  /**
   * The most keys a file may hold: about 35 bytes each in export.bin, so that every file stays
   * below the 16 MiB that {@link org.fedtrace.batch.GaenExport} reads (daily files are made from
   * the hourly ones read back).
   */
  public static final int MAX_KEYS_PER_FILE = 400_000;

  /** The smallest minimum of keys per file the spec allows (R24.5). */
  public static final int MIN_MIN_KEYS = 140;

  /**
   * Checks the values against the spec's bounds.
   *
   * @throws IllegalArgumentException naming the value out of bounds
   */
  public ExportPolicy {
    if (delaySeconds < MIN_DELAY_SECONDS || delaySeconds > 7 * 86_400) {
      throw new IllegalArgumentException(
          "delaySeconds: must be in 7200..604800, got " + delaySeconds);
    }
    if (minKeys < MIN_MIN_KEYS || minKeys > 100_000) {
      throw new IllegalArgumentException("minKeys: must be in 140..100000, got " + minKeys);
    }
    // a window of more keys is split evenly into files of more than half the maximum each, so
    // every file holds the minimum (R24.4) only if the maximum is at least twice the minimum
    if (maxKeysPerFile < 2 * minKeys || maxKeysPerFile > MAX_KEYS_PER_FILE) {
      throw new IllegalArgumentException(
          "maxKeysPerFile: must be in 2 x minKeys.."
              + MAX_KEYS_PER_FILE
              + ", got "
              + maxKeysPerFile
              + " with minKeys "
              + minKeys);
    }
    if (!combinedRegion.matches("[A-Za-z0-9]{1,16}") || combinedRegion.matches("[A-Z]{2}")) {
      throw new IllegalArgumentException(
          "combinedRegion: expected 1 to 16 letters or digits, not a country code, got '"
              + combinedRegion
              + "'");
    }
    if (indexDays < 1 || indexDays > 60) {
      throw new IllegalArgumentException("indexDays: must be in 1..60, got " + indexDays);
    }
  }
}

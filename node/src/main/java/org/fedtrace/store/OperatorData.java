package org.fedtrace.store;

import java.util.List;

/**
 * The tables of operator-assisted matching (spec §15): devices (only the SHA-256 of each device
 * key, R15.25), the observations they deposited (at most one per device, RPI and interval, so a
 * repeated deposit stores nothing twice, R15.14), the exposures matching found (one per device,
 * origin and key; the key is kept only to withdraw the exposure if its origin revokes it, R15.19,
 * and is never answered), the revocations seen, and the match cursor committed with each page of
 * exposures so that a crash neither loses nor repeats one (R15.21).
 */
public interface OperatorData {
  /**
   * One observation.
   *
   * @param rpi the 16 bytes heard
   * @param interval the interval number it was heard in
   */
  record Observed(byte[] rpi, int interval, int durationSeconds, int attenuationDb) {}

  /**
   * Outcome of a deposit.
   *
   * @param device the device's id
   * @param stored the observations newly stored, in request order
   * @param duplicates how many the device already had
   */
  record Deposit(int device, List<Observed> stored, int duplicates) {}

  /** A diagnosis key of an origin. */
  record OriginKey(String origin, byte[] keyData) {}

  /**
   * One exposure.
   *
   * @param key the matched key, kept for withdrawal only
   * @param intervalRanges first and last interval of each run of consecutive matched intervals,
   *     ascending: {@code [first0, last0, first1, last1, ...]}
   */
  record ExposureRow(
      int device,
      OriginKey key,
      int[] intervalRanges,
      long durationSeconds,
      double riskScore,
      boolean notified,
      long matchedUnixSeconds) {}

  /** Receives stored observations, for loading the matching index. */
  @FunctionalInterface
  interface ObservationSink {
    /** One observation of {@code device}. */
    void accept(int device, Observed o);
  }

  /**
   * Stores the observations of the device whose key hashes to {@code deviceSha256}, skipping those
   * it already holds.
   *
   * @throws org.fedtrace.rules.RuleViolation {@link
   *     org.fedtrace.rules.Rule#DEVICE_OBSERVATION_LIMIT} when the device would hold more than
   *     {@code maxPerDevice} observations (the transaction then rolls back)
   */
  Deposit deposit(byte[] deviceSha256, List<Observed> observations, long maxPerDevice);

  /**
   * The number of the latest deposit: every deposit takes the next one, in commit order, and keeps
   * it through purges and erasures, so that a replica's matching index loads what other replicas
   * stored since by {@link #forEachObservation(long, long, ObservationSink)}.
   */
  long lastDeposit();

  /**
   * Calls {@code sink} with every stored observation of the deposits numbered above {@code after}
   * and up to {@code upTo} (inclusive).
   */
  void forEachObservation(long after, long upTo, ObservationSink sink);

  /** Number of stored observations. */
  long observationCount();

  /** Number of stored exposures. */
  long exposureCount();

  /**
   * Deletes observations heard before {@code firstKeptInterval}, exposures whose last interval is
   * before it, revocations of keys that ended before it, and devices left with nothing.
   *
   * @return observations and exposures deleted
   */
  long[] deleteBefore(long firstKeptInterval);

  /**
   * Erases every observation, exposure, revocation and device key (sunset, or the node left
   * operator mode). The match cursor stays, so batches already passed are not matched again.
   *
   * @return observations and exposures erased
   */
  long[] eraseAll();

  /** Position of the last stored batch matched, 0 before the first. */
  long matchCursor();

  /** Records that every stored batch up to {@code position} is matched. */
  void setMatchCursor(long position);

  /**
   * Stores an exposure, unless the device already has one to the same key or the key's origin
   * revoked it (R15.18, in either order).
   *
   * @return whether it was stored
   */
  boolean insertExposure(ExposureRow e);

  /**
   * Deletes the exposures to {@code key}, which its origin revoked, and remembers the revocation
   * until {@code endInterval} (the key's last interval plus one) falls before the retention window.
   *
   * @return how many exposures were deleted
   */
  int withdraw(OriginKey key, long endInterval);

  /** The exposures of the device whose key hashes to {@code deviceSha256}, oldest first. */
  List<ExposureRow> exposures(byte[] deviceSha256);
}

package org.fedtrace.sim.matching;

import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * Finds exposures: which devices heard the RPIs of which diagnosis keys. The simulator uses {@link
 * ReferenceMatcher}; the project's matching engine plugs in by implementing this interface (its
 * index behind {@link ObservationIndex}).
 *
 * <p>The Exposure Notification rule applies: an RPI of a key counts only when it was heard within
 * the key's validity window {@code [rolling_start, rolling_start + rolling_period)} widened by
 * {@link #TOLERANCE_INTERVALS} on both sides; only the key's {@code rolling_period} RPIs exist.
 */
public interface ExposureMatcher {
  /** Two hours of clock tolerance, in 10-minute intervals. */
  int TOLERANCE_INTERVALS = 12;

  /** An empty index for the devices of {@code country}. */
  ObservationIndex newIndex(String country);

  /**
   * The exposures {@code keys} cause among the devices of {@code index}: one per (device, key) pair
   * with at least one counted RPI, in key order, then device order. May be called for different
   * indexes from different threads at once.
   */
  List<Exposure> match(ObservationIndex index, List<DiagnosisKey> keys);
}

package org.fedtrace.node.stats;

import java.util.List;
import java.util.Optional;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.stats.Epsilon;
import org.fedtrace.store.Statistics;

/**
 * The privacy-budget ledger (spec transparency.md §16.4): the ε of every STATISTICS_RELEASED entry,
 * summed exactly.
 */
public final class Ledger {
  private Ledger() {}

  /** The ε the stored releases spent; empty when there is none. */
  static Optional<Epsilon> spent(List<Statistics.StoredRelease> releases) {
    return releases.stream().map(r -> Epsilon.parse(r.epsilon())).reduce(Epsilon::plus);
  }

  /** The ε the STATISTICS_RELEASED entries among {@code entries} record; empty when none. */
  public static Optional<Epsilon> sum(List<LogEntry> entries) {
    return entries.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_STATISTICS_RELEASED)
        .map(e -> Epsilon.parse(e.getReason()))
        .reduce(Epsilon::plus);
  }
}

package org.fedtrace.node.config;

import java.util.Objects;
import org.fedtrace.stats.StatisticsPolicy;

/**
 * The {@code statistics} section (spec transparency.md §16): whether the node releases
 * differentially private statistics, and under which policy.
 *
 * @param enabled whether the node tallies, releases and serves statistics
 * @param policy the privacy loss, budget, threshold, delay and bounds of the releases
 */
public record StatisticsSection(boolean enabled, StatisticsPolicy policy) {
  /** Checks that the policy is set. */
  public StatisticsSection {
    Objects.requireNonNull(policy, "policy");
  }
}

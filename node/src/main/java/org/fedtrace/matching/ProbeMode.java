package org.fedtrace.matching;

/**
 * How the {@link Matcher} looks up a chunk of derived RPIs in the index's prefilter.
 *
 * <p>{@link #DIRECT} is the default: measured on a 2-core AMD EPYC (Zen 5, 2 MiB L2 per core, 32
 * MiB L3), partitioning cost more than it saved at 1, 10 and 30 million observations, because the
 * direct gather already keeps dozens of cache misses in flight. {@link #PARTITIONED} stays
 * selectable for hardware with shallower out-of-order windows or smaller caches.
 */
public enum ProbeMode {
  /** Gather the filter words of a chunk's RPIs in derivation order. */
  DIRECT,
  /**
   * Radix-partition the chunk's RPIs by the high bits of their filter word first, then gather
   * partition by partition, so each pass stays within a 256 KiB slice of the filter.
   */
  PARTITIONED
}

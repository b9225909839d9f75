package org.fedtrace.matching;

/** How the {@link Matcher} looks up a chunk of derived RPIs in the index's prefilter. */
public enum ProbeMode {
  /** Each RPI in derivation order: random accesses over the whole filter. */
  DIRECT,
  /**
   * Radix-partition the chunk's RPIs by the high bits of their filter position first, then probe
   * partition by partition, so each pass stays within a cache-sized slice of the filter.
   */
  PARTITIONED,
  /** {@link #PARTITIONED} when the filter is larger than the caches, else {@link #DIRECT}. */
  AUTO
}

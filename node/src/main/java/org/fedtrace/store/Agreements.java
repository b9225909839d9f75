package org.fedtrace.store;

import java.util.OptionalLong;

/**
 * The agreement versions a node has run, so it never rolls back to an older one (R2.5), and when it
 * reached its sunset, so that it never leaves SUNSET whatever its clock says later (R21.11).
 */
public interface Agreements {
  /**
   * Records that the node runs agreement {@code version} with file hash {@code sha256}.
   *
   * @throws StoreException naming the conflict, for a version lower than one run before or the same
   *     version with other bytes
   */
  void record(long version, byte[] sha256);

  /** Records that the node reached its sunset at {@code unixSeconds}, unless it did before. */
  void recordSunset(long unixSeconds);

  /** When the node first reached its sunset, if it ever did. */
  OptionalLong sunsetReached();
}

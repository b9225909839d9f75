package org.fedtrace.store;

/** The agreement versions a node has run, so it never rolls back to an older one (R2.5). */
public interface Agreements {
  /**
   * Records that the node runs agreement {@code version} with file hash {@code sha256}.
   *
   * @throws StoreException naming the conflict, for a version lower than one run before or the same
   *     version with other bytes
   */
  void record(long version, byte[] sha256);
}

package org.fedtrace.store;

import java.util.Optional;

/**
 * What witnessing keeps (spec/transparency.md §15): the latest checkpoint of each peer's log this
 * node cosigned as a witness, and the first checkpoint of it that it refused to cosign. The store
 * keeps serialized checkpoints as bytes; their meaning is the caller's. (The log's own cosigned
 * checkpoints are part of the log, {@link org.fedtrace.tlog.LogStore}.)
 */
public interface Witnessing {
  /** The latest checkpoint of the log {@code logOrigin} this node cosigned, if any. */
  Optional<byte[]> cosigned(String logOrigin);

  /** Replaces the latest checkpoint of {@code logOrigin} this node cosigned. */
  void putCosigned(String logOrigin, byte[] checkpoint);

  /** The first checkpoint of {@code logOrigin} this node refused to cosign, if any. */
  Optional<byte[]> refused(String logOrigin);

  /** Records a checkpoint of {@code logOrigin} this node refused, unless one is recorded. */
  void putRefused(String logOrigin, byte[] checkpoint);
}

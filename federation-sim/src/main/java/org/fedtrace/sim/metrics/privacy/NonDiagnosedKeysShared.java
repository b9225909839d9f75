package org.fedtrace.sim.metrics.privacy;

import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * {@code non_diagnosed_keys_shared}: the number of keys (federated) or records (central) that left
 * their owner's home node although the owner was never diagnosed. Padding keys belong to nobody and
 * are not counted.
 */
public final class NonDiagnosedKeysShared {
  /** Owner id of an item that belongs to nobody (a padding key). */
  public static final int NOBODY = -1;

  private NonDiagnosedKeysShared() {}

  /**
   * The metric.
   *
   * @param owners the owner of each distinct item that left its home node, {@link #NOBODY} for
   *     padding
   * @param everDiagnosed whether a person was diagnosed during the run
   */
  public static long count(IntStream owners, IntPredicate everDiagnosed) {
    return owners.filter(owner -> owner != NOBODY && !everDiagnosed.test(owner)).count();
  }
}

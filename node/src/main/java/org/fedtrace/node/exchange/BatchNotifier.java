package org.fedtrace.node.exchange;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes whoever waits for new batches (live subscriptions, pushes to peers, operator matching)
 * after a commit that stored one, and when the node's state changes.
 */
public final class BatchNotifier {
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

  /** Calls {@code listener} after every new batch until it is removed. */
  public void add(Runnable listener) {
    listeners.add(listener);
  }

  /** Stops calling {@code listener}. */
  public void remove(Runnable listener) {
    listeners.remove(listener);
  }

  /** Called after a commit that stored a new batch, or a change of the node's state. */
  public void batchStored() {
    for (Runnable r : listeners) {
      r.run();
    }
  }
}

package org.fedtrace.node.exchange;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.BatchScope;

/**
 * Wakes whoever waits for new batches (live subscriptions, pushes to peers, operator matching)
 * after a commit that stored one, and when the node's state changes.
 *
 * <p>A listener may say which stored batches concern it ({@link #add(Runnable, Predicate)}): a push
 * to one peer is woken only for a batch it may send that peer, not for every batch the node stores
 * (in a full mesh of a hundred nodes, every received batch would otherwise wake 99 push tasks that
 * each query the store for nothing). A change of the node's state wakes every listener.
 */
public final class BatchNotifier {
  /**
   * What a commit stored, as far as a listener needs it to decide whether to wake.
   *
   * @param origin the batch's origin
   * @param scope the batch's scope
   * @param receivedFrom the peer that delivered it, or null for one of the node's own batches
   */
  public record Stored(String origin, BatchScope scope, OperatorIdentity receivedFrom) {}

  private static final Predicate<Stored> EVERY = s -> true;

  private final Map<Runnable, Predicate<Stored>> listeners = new ConcurrentHashMap<>();

  /** Calls {@code listener} after every new batch until it is removed. */
  public void add(Runnable listener) {
    add(listener, EVERY);
  }

  /**
   * Calls {@code listener} after every new batch that {@code concerns} accepts, and at every change
   * of the node's state, until it is removed.
   */
  public void add(Runnable listener, Predicate<Stored> concerns) {
    listeners.put(listener, concerns);
  }

  /** Stops calling {@code listener}. */
  public void remove(Runnable listener) {
    listeners.remove(listener);
  }

  /** Called after a change of the node's state (draining, sunset): wakes every listener. */
  public void batchStored() {
    for (Runnable r : listeners.keySet()) {
      r.run();
    }
  }

  /** Called after a commit that stored {@code stored}: wakes the listeners it concerns. */
  public void batchStored(Stored stored) {
    for (Map.Entry<Runnable, Predicate<Stored>> e : listeners.entrySet()) {
      if (e.getValue().test(stored)) {
        e.getKey().run();
      }
    }
  }
}

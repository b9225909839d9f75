package org.fedtrace.node;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Wakes live subscriptions when a batch was committed. */
final class BatchNotifier {
  private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();

  void add(Runnable listener) {
    listeners.add(listener);
  }

  void remove(Runnable listener) {
    listeners.remove(listener);
  }

  /** Called after a commit that stored a new batch. */
  void batchStored() {
    for (Runnable r : listeners) {
      r.run();
    }
  }

  int size() {
    return listeners.size();
  }
}

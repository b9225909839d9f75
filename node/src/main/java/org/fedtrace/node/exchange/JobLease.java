package org.fedtrace.node.exchange;

import java.time.Clock;
import java.util.OptionalLong;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.Transaction;

/**
 * This replica's claim on one job that must run on a single replica of the node at a time (the
 * purge, the exchange with one peer), through the store's {@link org.fedtrace.store.Leases}: {@link
 * #hold} takes or renews the lease, and work that writes under it calls {@link #check} in its
 * transaction, so that a replica that lost the lease (paused past its expiry, say) can no longer
 * commit: its fencing token is no longer the lease's. A replica that dies stops renewing, and
 * another takes the job over once the lease expires, {@link #TTL_MILLIS} at most. Thread-safe.
 */
public final class JobLease {
  /** How long a lease lasts unless renewed; holders renew it three times as often. */
  public static final long TTL_MILLIS = 15_000;

  private final Store store;
  private final String name;
  private final String holder;
  private final Clock clock;
  private volatile long token;

  /**
   * @param name the job, such as {@code purge} or {@code peer:FR/op-fr}
   * @param holder this replica, unique among the replicas sharing the store
   */
  public JobLease(Store store, String name, String holder, Clock clock) {
    this.store = store;
    this.name = name;
    this.holder = holder;
    this.clock = clock;
  }

  /** Takes or renews the lease; returns whether this replica holds it now. */
  public boolean hold() {
    OptionalLong t =
        store.write(tx -> tx.leases().acquire(name, holder, clock.millis(), TTL_MILLIS));
    token = t.orElse(0);
    return t.isPresent();
  }

  /**
   * Fails the transaction {@code tx} unless this replica still holds the lease with the token it
   * took.
   *
   * @throws StoreException when the lease passed to another replica or expired
   */
  public void check(Transaction tx) {
    if (token == 0 || !tx.leases().holds(name, holder, token, clock.millis())) {
      throw new StoreException(
          "the lease '" + name + "' is no longer this replica's (" + holder + ")", null);
    }
  }

  /** Gives the lease up, so that another replica can take the job at once. */
  public void release() {
    if (token != 0) {
      store.write(
          tx -> {
            tx.leases().release(name, holder);
            return null;
          });
      token = 0;
    }
  }

  /** The job's name. */
  public String name() {
    return name;
  }
}

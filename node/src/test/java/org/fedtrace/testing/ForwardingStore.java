package org.fedtrace.testing;

import java.util.function.Consumer;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.Transaction;

/**
 * A store that passes every call to another: the base of the fault switches' stores, which override
 * only the calls they break. Its log database is the interface's default over this store's
 * transactions, so a fault in them reaches the log too.
 */
abstract class ForwardingStore implements Store {
  /** The store calls go to. */
  protected final Store store;

  ForwardingStore(Store store) {
    this.store = store;
  }

  @Override
  public long epoch() {
    return store.epoch();
  }

  @Override
  public <T> T write(Work<T> work) {
    return store.write(work);
  }

  @Override
  public <T> T read(Work<T> work) {
    return store.read(work);
  }

  @Override
  public Batches.Insert insertBatch(
      NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
    return store.insertBatch(batch, cursor, whenStored);
  }

  @Override
  public void addCommitListener(Runnable listener) {
    store.addCommitListener(listener);
  }

  @Override
  public void addBatchListener(Runnable listener) {
    store.addBatchListener(listener);
  }

  @Override
  public void scrub() {
    store.scrub();
  }

  @Override
  public void close() {
    store.close();
  }
}

package org.fedtrace.testing;

import java.util.List;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Store;
import org.fedtrace.store.Transaction;
import org.fedtrace.store.Uploads;

/**
 * {@link Fault#LEAK_DOMESTIC_KEYS}: a store that forgets an upload's consent, recording
 * domestic-only keys as keys to federate, so the batcher puts them into batches (breaks R25.4).
 */
final class DomesticLeak extends ForwardingStore {
  DomesticLeak(Store store) {
    super(store);
  }

  @Override
  public <T> T write(Work<T> work) {
    return store.write(tx -> work.run(new Leaky(tx)));
  }

  /** A transaction whose uploads lose their consent. */
  private static final class Leaky extends ForwardingTransaction {
    Leaky(Transaction tx) {
      super(tx);
    }

    @Override
    public Uploads uploads() {
      Uploads u = tx.uploads();
      return new Uploads() {
        @Override
        public void accept(AcceptedUpload upload) {
          u.accept(
              upload.scope() == AcceptedUpload.DOMESTIC_ONLY
                  ? upload.withScope(AcceptedUpload.FEDERATE)
                  : upload);
        }

        @Override
        public List<PendingKey> pending() {
          return u.pending();
        }

        @Override
        public void consume(long[] pendingKeyIds) {
          u.consume(pendingKeyIds);
        }

        @Override
        public void forgetExpiredBefore(long unixSeconds) {
          u.forgetExpiredBefore(unixSeconds);
        }

        @Override
        public List<PendingKey> domestic(long afterId, long throughId, int max) {
          return u.domestic(afterId, throughId, max);
        }

        @Override
        public long lastDomesticId() {
          return u.lastDomesticId();
        }
      };
    }
  }
}

package org.fedtrace.testing;

import java.util.List;
import java.util.function.Consumer;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.Agreements;
import org.fedtrace.store.Batches;
import org.fedtrace.store.Cursors;
import org.fedtrace.store.Leases;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Notices;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Store;
import org.fedtrace.store.Transaction;
import org.fedtrace.store.Uploads;
import org.fedtrace.tlog.LogStore;

/**
 * {@link Fault#LEAK_DOMESTIC_KEYS}: a store that forgets an upload's consent, recording
 * domestic-only keys as keys to federate, so the batcher puts them into batches (breaks R25.4).
 */
final class DomesticLeak implements Store {
  private final Store store;

  DomesticLeak(Store store) {
    this.store = store;
  }

  @Override
  public <T> T write(Work<T> work) {
    return store.write(tx -> work.run(new Leaky(tx)));
  }

  @Override
  public <T> T read(Work<T> work) {
    return store.read(work);
  }

  @Override
  public long epoch() {
    return store.epoch();
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

  /** A transaction whose uploads lose their consent. */
  private record Leaky(Transaction tx) implements Transaction {
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
      };
    }

    @Override
    public Batches batches() {
      return tx.batches();
    }

    @Override
    public Cursors cursors() {
      return tx.cursors();
    }

    @Override
    public Notices notices() {
      return tx.notices();
    }

    @Override
    public OperatorData operator() {
      return tx.operator();
    }

    @Override
    public Agreements agreements() {
      return tx.agreements();
    }

    @Override
    public Leases leases() {
      return tx.leases();
    }

    @Override
    public LogStore log() {
      return tx.log();
    }

    @Override
    public org.fedtrace.store.Statistics statistics() {
      return tx.statistics();
    }

    @Override
    public org.fedtrace.store.Witnessing witnessing() {
      return tx.witnessing();
    }
  }
}

package org.fedtrace.store.sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Transaction;

/**
 * Commits the batches that threads insert at the same time in one transaction, one savepoint each:
 * one flush to disk covers the group, and a batch refused (a conflict) is rolled back alone and
 * reported to its own caller. A caller queues its batch, then takes the write lock; whoever holds
 * the lock commits everything queued, so a caller often finds its batch committed by another.
 */
final class GroupCommit {
  /** Most batches committed in one transaction. */
  static final int MAX_GROUP = 64;

  /** A batch waiting for a group commit, and its outcome once committed (under the write lock). */
  static final class Pending {
    private final NewBatch batch;
    private final PeerCursor cursor;
    private final Consumer<Transaction> whenStored;
    private boolean done;
    private Batches.Insert result;
    private RuntimeException failure;

    private Pending(NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
      this.batch = batch;
      this.cursor = cursor;
      this.whenStored = whenStored;
    }
  }

  private final SqlStore store;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

  GroupCommit(SqlStore store) {
    this.store = store;
  }

  Pending enqueue(NewBatch batch, PeerCursor cursor, Consumer<Transaction> whenStored) {
    Pending p = new Pending(batch, cursor, whenStored);
    queue.add(p);
    return p;
  }

  /** The outcome of {@code p} once committed, committing the queue first if no one else did. */
  Batches.Insert await(Pending p) {
    store.writeLock().lock();
    try {
      while (!p.done) {
        commitQueued();
      }
    } finally {
      store.writeLock().unlock();
    }
    store.committed();
    if (p.failure != null) {
      throw p.failure;
    }
    return p.result;
  }

  /** Commits up to {@value #MAX_GROUP} queued batches in one transaction; holds the write lock. */
  private void commitQueued() {
    List<Pending> group = new ArrayList<>();
    for (Pending p = queue.poll(); p != null; p = queue.poll()) {
      group.add(p);
      if (group.size() == MAX_GROUP) {
        break;
      }
    }
    try {
      store.writeLocked(
          c -> {
            for (Pending p : group) {
              insertOne(c, p, group.size() > 1);
            }
            return null;
          });
    } catch (RuntimeException e) {
      for (Pending p : group) {
        p.failure = e;
      }
    }
    for (Pending p : group) {
      p.done = true;
    }
  }

  /**
   * Inserts one batch of a group; with {@code savepoint}, a refusal rolls back only this batch and
   * is kept as its outcome, else it rolls back the transaction.
   */
  private void insertOne(SqlStore.Connected connected, Pending p, boolean savepoint) {
    Transaction tx = connected.tx();
    Connection c = connected.sql().connection();
    try {
      Savepoint sp = savepoint ? c.setSavepoint() : null;
      try {
        p.result = tx.batches().insert(p.batch);
        if (p.result == Batches.Insert.STORED) {
          p.whenStored.accept(tx);
        }
        if (p.cursor != null) {
          tx.cursors().put(p.cursor);
        }
      } catch (RuleViolation v) {
        if (sp == null) {
          throw v;
        }
        c.rollback(sp);
        p.result = null;
        p.failure = v;
      }
      if (sp != null) {
        c.releaseSavepoint(sp);
      }
    } catch (SQLException e) {
      throw Sql.failed(e);
    }
  }
}

package org.fedtrace.testing;

import org.fedtrace.store.Agreements;
import org.fedtrace.store.Batches;
import org.fedtrace.store.Cursors;
import org.fedtrace.store.Leases;
import org.fedtrace.store.Notices;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.Statistics;
import org.fedtrace.store.Transaction;
import org.fedtrace.store.Uploads;
import org.fedtrace.store.Witnessing;
import org.fedtrace.tlog.LogStore;

/** A transaction that passes every call to another: fault switches override what they break. */
abstract class ForwardingTransaction implements Transaction {
  /** The transaction calls go to. */
  protected final Transaction tx;

  ForwardingTransaction(Transaction tx) {
    this.tx = tx;
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
  public Uploads uploads() {
    return tx.uploads();
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
  public Statistics statistics() {
    return tx.statistics();
  }

  @Override
  public LogStore log() {
    return tx.log();
  }

  @Override
  public Witnessing witnessing() {
    return tx.witnessing();
  }
}

package org.fedtrace.store.sql;

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

/**
 * The tables of one connection, as a {@link Transaction}: the store opens and ends the transaction
 * on the connection around the work it hands this view to. One per connection, reused.
 */
final class SqlTransaction implements Transaction {
  private final Batches batches;
  private final Cursors cursors;
  private final Uploads uploads;
  private final Notices notices;
  private final OperatorData operator;
  private final Agreements agreements;
  private final Leases leases;
  private boolean batchesChanged;
  private final LogStore log;
  private final Statistics statistics;
  private final Witnessing witnessing;

  SqlTransaction(Sql sql) {
    this.batches = new SqlBatches(sql, () -> batchesChanged = true);
    this.cursors = new SqlCursors(sql);
    this.uploads = new SqlUploads(sql);
    this.notices = new SqlNotices(sql);
    this.operator = new SqlOperatorData(sql);
    this.agreements = new SqlAgreements(sql);
    this.leases = new SqlLeases(sql);
    this.log = new SqlLogStore(sql);
    this.statistics = new SqlStatistics(sql);
    this.witnessing = new SqlWitnessing(sql);
  }

  /** Whether the transaction stored or changed batches; clears the mark (a new one begins). */
  boolean takeBatchesChanged() {
    boolean was = batchesChanged;
    batchesChanged = false;
    return was;
  }

  /** Whether the transaction so far stored or changed batches. */
  boolean batchesChanged() {
    return batchesChanged;
  }

  @Override
  public Batches batches() {
    return batches;
  }

  @Override
  public Cursors cursors() {
    return cursors;
  }

  @Override
  public Uploads uploads() {
    return uploads;
  }

  @Override
  public Notices notices() {
    return notices;
  }

  @Override
  public OperatorData operator() {
    return operator;
  }

  @Override
  public Agreements agreements() {
    return agreements;
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public Statistics statistics() {
    return statistics;
  }

  @Override
  public LogStore log() {
    return log;
  }

  @Override
  public Witnessing witnessing() {
    return witnessing;
  }
}

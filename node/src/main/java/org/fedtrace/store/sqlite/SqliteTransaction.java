package org.fedtrace.store.sqlite;

import org.fedtrace.store.Agreements;
import org.fedtrace.store.Batches;
import org.fedtrace.store.Cursors;
import org.fedtrace.store.Notices;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.Transaction;
import org.fedtrace.store.Uploads;
import org.fedtrace.tlog.LogStore;

/**
 * The tables of one connection, as a {@link Transaction}: the store opens and ends the transaction
 * on the connection around the work it hands this view to. One per connection, reused.
 */
final class SqliteTransaction implements Transaction {
  private final Batches batches;
  private final Cursors cursors;
  private final Uploads uploads;
  private final Notices notices;
  private final OperatorData operator;
  private final Agreements agreements;
  private final LogStore log;

  SqliteTransaction(Sql sql) {
    this.batches = new SqliteBatches(sql);
    this.cursors = new SqliteCursors(sql);
    this.uploads = new SqliteUploads(sql);
    this.notices = new SqliteNotices(sql);
    this.operator = new SqliteOperatorData(sql);
    this.agreements = new SqliteAgreements(sql);
    this.log = new SqliteLogStore(sql);
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
  public LogStore log() {
    return log;
  }
}

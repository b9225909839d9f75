package org.fedtrace.store;

import org.fedtrace.tlog.LogStore;

/**
 * One open transaction of the {@link Store}, seen as its tables. Valid only inside the {@link
 * Store.Work} it was handed to, on that thread.
 */
public interface Transaction {
  /** Batches and the seen-batch records that outlive their keys. */
  Batches batches();

  /** The sync cursors of peers, pulled from and pushed to. */
  Cursors cursors();

  /** Upload authorizations used and the keys waiting to be published. */
  Uploads uploads();

  /** Which own batches hold the keys of an upload with a notice commitment. */
  Notices notices();

  /** The tables of operator-assisted matching (spec §15). */
  OperatorData operator();

  /** The agreement versions this node has run. */
  Agreements agreements();

  /** The leases by which replicas sharing this store divide work that must happen once. */
  Leases leases();

  /** The exact daily counts kept for the statistics, and their releases (transparency.md §16). */
  Statistics statistics();

  /** The transparency log's leaves, subtree hashes and latest checkpoint. */
  LogStore log();

  /** Witnessing: peers' checkpoints this node cosigned or refused, and its own cosignatures. */
  Witnessing witnessing();
}

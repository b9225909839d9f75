package org.fedtrace.node;

import java.util.Set;
import java.util.function.Consumer;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Store;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.TransparencyLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a batch from a peer, whether pushed to us or pulled by us: admission, durable commit, the
 * exchange log, metrics, and waking subscribers. A refusal is logged and counted, then rethrown for
 * the caller to report.
 */
final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  /** Outcome of an accepted batch, with the log receipt of its BATCH_RECEIVED entry. */
  record Result(boolean duplicate, LogReceipt receipt) {}

  private final Admission admission;
  private final Store store;
  private final TransparencyLog log;
  private final NodeMetrics metrics;
  private final BatchNotifier notifier;
  private final Set<Fault> faults;

  Ingest(
      Admission admission,
      Store store,
      TransparencyLog log,
      NodeMetrics metrics,
      BatchNotifier notifier,
      Set<Fault> faults) {
    this.faults = Set.copyOf(faults);
    this.admission = admission;
    this.store = store;
    this.log = log;
    this.metrics = metrics;
    this.notifier = notifier;
  }

  /**
   * Admits and stores {@code batch}.
   *
   * @param payload the batch's wire bytes, stored and served unchanged
   * @param from the peer that delivered it
   * @param cursorUpdate the sync cursor to commit with it when it was pulled, or null
   * @throws RuleViolation when the batch is refused
   */
  Result accept(
      DiagnosisKeyBatch batch, byte[] payload, OperatorIdentity from, PeerCursor cursorUpdate) {
    metrics.batchBytes("in", payload.length);
    NewBatch admitted;
    LogReceipt[] receipt = new LogReceipt[1];
    try {
      admitted = admission.admit(batch, payload, from);
      NewBatch a = admitted;
      Consumer<Transaction> logIt =
          tx ->
              receipt[0] =
                  log.append(
                      tx.log(),
                      LogEvent.received(a.contentSha256(), a.origin(), from, a.keyCount()));
      Batches.Insert outcome = insert(admitted, cursorUpdate, logIt);
      if (outcome == Batches.Insert.DUPLICATE && faults.contains(Fault.STORE_DUPLICATE)) {
        outcome = store.insertBatch(disguised(admitted, true), cursorUpdate, logIt);
      }
      if (outcome == Batches.Insert.DUPLICATE) {
        metrics.batch(from.toString(), "in", "duplicate", "", batch.getKeysCount());
        return new Result(
            true,
            log.receiptOfStored(admitted.contentSha256()).orElse(LogReceipt.getDefaultInstance()));
      }
    } catch (RuleViolation v) {
      refused(batch, from, v);
      throw v;
    }
    notifier.batchStored();
    metrics.batch(from.toString(), "in", "accepted", "", admitted.keyCount());
    LOG.info(
        "event=batch_received origin={} sequence={} keys={} peer={}",
        admitted.origin(),
        Long.toUnsignedString(admitted.sequence()),
        admitted.keyCount(),
        from.toString());
    return new Result(false, receipt[0]);
  }

  private Batches.Insert insert(
      NewBatch admitted, PeerCursor cursorUpdate, Consumer<Transaction> logIt) {
    try {
      return store.insertBatch(admitted, cursorUpdate, logIt);
    } catch (RuleViolation v) {
      if (v.rule() == Rule.SEQUENCE_CONFLICT && faults.contains(Fault.ACCEPT_REPLAY)) {
        return store.insertBatch(disguised(admitted, false), cursorUpdate, logIt);
      }
      throw v;
    }
  }

  /**
   * For the fault switches only: the same payload under a record the store's uniqueness constraints
   * do not recognize, so a defective node can be shown to store it.
   */
  private static NewBatch disguised(NewBatch b, boolean newId) {
    byte[] id = b.batchId();
    if (newId) {
      id[0] ^= (byte) 0xff;
    }
    return new NewBatch(
        b.batch().toBuilder()
            .setBatchId(com.google.protobuf.ByteString.copyFrom(id))
            .setSequence(b.sequence() ^ (1L << 62))
            .build(),
        b.payload(),
        b.contentSha256(),
        b.receivedFrom(),
        b.receivedUnixSeconds());
  }

  private void refused(DiagnosisKeyBatch batch, OperatorIdentity from, RuleViolation v) {
    String rule = v.rule().id();
    String origin = Countries.hasCodeSyntax(batch.getOrigin()) ? batch.getOrigin() : "";
    LogEvent refusal =
        LogEvent.refused(
            BatchExchange.subjectHash(batch), origin, from, batch.getKeysCount(), rule);
    store.write(tx -> log.append(tx.log(), refusal));
    metrics.batch(from.toString(), "in", "refused", rule, batch.getKeysCount());
    LOG.warn(
        "event=batch_refused rule={} origin={} keys={} peer={} reason=\"{}\"",
        rule,
        origin,
        batch.getKeysCount(),
        from.toString(),
        v.getMessage());
  }
}

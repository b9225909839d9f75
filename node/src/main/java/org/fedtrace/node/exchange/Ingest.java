package org.fedtrace.node.exchange;

import java.util.function.Consumer;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a batch from a peer, whether pushed to us or pulled by us: admission, then one durable
 * commit of the batch, its BATCH_RECEIVED log entry and the peer's cursor, then metrics and waking
 * whoever waits for new batches. A refusal is logged (BATCH_REFUSED) and counted, then rethrown for
 * the caller to report.
 */
public final class Ingest {
  private static final Logger LOG = LoggerFactory.getLogger(Ingest.class);

  /** Outcome of an accepted batch, with the log receipt of its BATCH_RECEIVED entry. */
  public record Result(boolean duplicate, LogReceipt receipt) {}

  private final ExchangeContext ctx;
  private final String country;
  private final Admission admission;
  private final SequenceRecovery recovery;
  private final SharingTerms sharing;

  /**
   * Admits every batch through {@code admission}.
   *
   * @param country the node's origin (spec §26.2): it takes no batch of it that it does not hold,
   *     but while {@code recovery} holds, those it pulls from peers (R21.24)
   * @param sharing the agreement's bilateral terms: it takes only batches whose origin may send
   *     their scope to {@code country} (R25.9)
   */
  public Ingest(
      ExchangeContext ctx,
      String country,
      Admission admission,
      SequenceRecovery recovery,
      SharingTerms sharing) {
    this.ctx = ctx;
    this.country = country;
    this.admission = admission;
    this.recovery = recovery;
    this.sharing = sharing;
  }

  /** Whether the node is recovering its numbering from its peers (R21.24). */
  boolean recovering() {
    return recovery.holding();
  }

  /** The peer {@code peer} sent its whole backlog (a subscription's {@code caught_up}). */
  void caughtUp(OperatorIdentity peer) {
    recovery.caughtUp(peer);
  }

  /**
   * Admits and stores {@code batch}.
   *
   * @param payload the batch's wire bytes, stored and served unchanged
   * @param from the peer that delivered it
   * @param cursor the peer's cursor to commit with it when it was pulled, or null
   * @throws RuleViolation when the batch is refused
   */
  public Result accept(
      DiagnosisKeyBatch batch, byte[] payload, OperatorIdentity from, PeerCursor cursor) {
    ctx.metrics().batchBytes("in", payload.length);
    NewBatch admitted;
    Batches.Insert outcome;
    LogReceipt[] receipt = new LogReceipt[1];
    try {
      admitted = admission.admit(batch, payload, from);
      NewBatch a = admitted;
      BatchScope scope = BatchScope.forNumber(a.scope());
      if (!sharing.allows(a.origin(), country, scope)) {
        // R25.9: checked once the signature showed the scope is the origin's
        throw new RuleViolation(
            Rule.OUTSIDE_SHARING_TERMS,
            "the agreement's sharing terms do not let "
                + a.origin()
                + " send "
                + (scope == BatchScope.BATCH_SCOPE_TRAVELLER ? "traveller" : "federate")
                + " batches to "
                + country);
      }
      if (a.origin().equals(country)
          && !recovery.restores(cursor != null)
          && !ctx.store().read(tx -> tx.batches().holds(a))) {
        // R8.36: the node alone numbers its batches (R8.27); one signed elsewhere with its key
        // would take a sequence it has yet to use, or jump its numbering to the end of the range
        throw new RuleViolation(
            Rule.OWN_ORIGIN, "batches of origin " + country + " are created by this node only");
      }
      Consumer<Transaction> logIt =
          tx ->
              receipt[0] =
                  ctx.log()
                      .append(
                          tx.log(),
                          LogEvent.received(a.contentSha256(), a.origin(), from, a.keyCount()));
      outcome = ctx.store().insertBatch(admitted, cursor, logIt);
    } catch (RuleViolation v) {
      refused(batch, from, v);
      throw v;
    }
    if (outcome == Batches.Insert.DUPLICATE) {
      ctx.metrics().batch(from.toString(), "in", "duplicate", "", batch.getKeysCount());
      return new Result(
          true,
          ctx.log()
              .receiptOfStored(admitted.contentSha256())
              .orElse(LogReceipt.getDefaultInstance()));
    }
    ctx.notifier()
        .batchStored(
            new BatchNotifier.Stored(
                admitted.origin(), BatchScope.forNumber(admitted.scope()), from));
    ctx.metrics().batch(from.toString(), "in", "accepted", "", admitted.keyCount());
    LOG.info(
        "event=batch_received origin={} sequence={} keys={} peer={}",
        admitted.origin(),
        Long.toUnsignedString(admitted.sequence()),
        admitted.keyCount(),
        from);
    return new Result(false, receipt[0]);
  }

  private void refused(DiagnosisKeyBatch batch, OperatorIdentity from, RuleViolation v) {
    String rule = v.rule().id();
    String origin = Countries.hasOriginSyntax(batch.getOrigin()) ? batch.getOrigin() : "";
    LogEvent refusal = LogEvent.refused(subject(batch), origin, from, batch.getKeysCount(), rule);
    ctx.store().write(tx -> ctx.log().append(tx.log(), refusal));
    ctx.metrics().batch(from.toString(), "in", "refused", rule, batch.getKeysCount());
    LOG.warn(
        "event=batch_refused rule={} origin={} keys={} peer={} reason=\"{}\"",
        rule,
        origin,
        batch.getKeysCount(),
        from,
        v.getMessage());
  }

  /** SHA-256 of a batch's canonical encoding, or of its bytes when it cannot be encoded. */
  static Digest subject(DiagnosisKeyBatch batch) {
    try {
      return Digest.of(CanonicalEncoding.batchDigest(batch));
    } catch (IllegalArgumentException e) {
      return Digest.sha256(batch.toByteArray());
    }
  }
}

package org.fedtrace.node.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.MemberOrigins;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What leaves the node for a peer, whoever starts the exchange (a peer pulling, subscribing or
 * fetching, or this node pushing): which batches that peer may be served, and the BATCH_SENT or
 * BATCH_FORWARDED entry and counts of each delivery.
 */
public final class Deliveries {
  private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

  /**
   * How far ahead of this node's clock a client's may be (R1.1 twice): what is served must still
   * pass the client's checks by R4.4 and R8.8 at that time.
   */
  static final long CLIENT_CLOCK_AHEAD_SECONDS = 600;

  /** How many intact payloads {@link #intact} remembers. */
  private static final int INTACT_REMEMBERED = 1_024;

  private final ExchangeContext ctx;
  private final boolean forward;
  private final int retentionDays;
  private final List<OperatorIdentity> members;
  private final Set<String> origins;
  private final OperatorIdentity self;
  private final SharingTerms sharing;

  /** Per peer, the origins it is served per scope: fixed by the agreement, so computed once. */
  private final Map<OperatorIdentity, Recipient.Served> served = new ConcurrentHashMap<>();

  /**
   * Payloads found intact lately, by the SHA-256 of their stored bytes and their stored content
   * hash: the same bytes need not be parsed and encoded again when a hub pushes one batch to each
   * of its peers. Bytes that changed on disk hash differently and are checked again.
   */
  private final Map<List<Digest>, Boolean> intactPayloads =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Digest>, Boolean> eldest) {
              return size() > INTACT_REMEMBERED;
            }
          });

  /**
   * @param forward whether batches received from peers are served to other peers too
   * @param retentionDays the agreement's retention, which decides what may still be served
   * @param members the agreement's members, whose origins (spec §26.2) are the only ones served
   * @param self the node's own identity: its backend, served without a logged delivery (R9.12)
   * @param sharing the agreement's bilateral terms: which origin's batches of which scope a peer
   *     may be sent (R25.10)
   */
  public Deliveries(
      ExchangeContext ctx,
      boolean forward,
      int retentionDays,
      Collection<OperatorIdentity> members,
      OperatorIdentity self,
      SharingTerms sharing) {
    this.ctx = ctx;
    this.forward = forward;
    this.retentionDays = retentionDays;
    this.members = List.copyOf(members);
    this.origins = MemberOrigins.origins(members);
    this.self = self;
    this.sharing = sharing;
  }

  /** Whether the sharing terms let a batch of {@code origin} and {@code scope} go to {@code to}. */
  public boolean mayReceive(OperatorIdentity to, String origin, BatchScope scope) {
    return isSelf(to) || sharing.allows(origin, to.country(), scope);
  }

  /**
   * Whether a push to {@code peer} may ever send a batch stored as {@code stored}: the conditions
   * of {@link #recipient} that do not change with time (those that do only make a batch
   * unservable). The batch is of a member origin that the sharing terms let {@code peer} receive in
   * its scope (R25.10), not of the peer's own origin, and the node's own or, when the node
   * forwards, received from another peer. A push task is woken only for such a batch.
   */
  public boolean mayPush(OperatorIdentity peer, BatchNotifier.Stored stored) {
    String origin = stored.origin();
    if (!origins.contains(origin) || origin.equals(peerOrigin(peer))) {
      return false;
    }
    if (stored.receivedFrom() != null && (!forward || stored.receivedFrom().equals(peer))) {
      return false;
    }
    return switch (stored.scope()) {
      case BATCH_SCOPE_FEDERATE, BATCH_SCOPE_TRAVELLER -> mayReceive(peer, origin, stored.scope());
      default -> false;
    };
  }

  /** Whether {@code caller} is the node's own identity (its backend), not a peer. */
  public boolean isSelf(OperatorIdentity caller) {
    return self.equals(caller);
  }

  /**
   * Which batches may be served to {@code peer} now (§1.3 "servable"): none that a client whose
   * clock is up to {@link #CLIENT_CLOCK_AHEAD_SECONDS} ahead must refuse as past retention (a key,
   * R4.4; the batch's creation, R8.8), none of an origin that is no longer a member (R8.13).
   */
  public Recipient recipient(OperatorIdentity peer) {
    // R25.10: of each scope, only the origins the sharing terms let send to the peer
    return servedAs(
        peer,
        served.computeIfAbsent(
            peer,
            p ->
                new Recipient.Served(
                    allowed(p, BatchScope.BATCH_SCOPE_FEDERATE),
                    allowed(p, BatchScope.BATCH_SCOPE_TRAVELLER))));
  }

  /**
   * As {@link #recipient(OperatorIdentity)} but every member origin of both scopes: what {@code
   * peer} would be served without the sharing terms (to tell a refusal by R25.11 from NOT_FOUND).
   */
  public Recipient recipientIgnoringSharing(OperatorIdentity peer) {
    return servedAs(peer, new Recipient.Served(origins, origins));
  }

  private Recipient servedAs(OperatorIdentity peer, Recipient.Served origins) {
    long clientNow = ctx.clock().instant().getEpochSecond() + CLIENT_CLOCK_AHEAD_SECONDS;
    return new Recipient(
        peer,
        peerOrigin(peer),
        forward,
        BatchRules.windowStart(clientNow, retentionDays),
        clientNow - retentionDays * 86_400L,
        origins,
        false);
  }

  /**
   * The origin of {@code peer}'s batches (spec §26.2): its country unless it has several members.
   */
  private String peerOrigin(OperatorIdentity peer) {
    return members.contains(peer) ? MemberOrigins.originOf(members, peer) : peer.country();
  }

  private Set<String> allowed(OperatorIdentity peer, BatchScope scope) {
    return origins.stream()
        .filter(origin -> mayReceive(peer, origin, scope))
        .collect(java.util.stream.Collectors.toSet());
  }

  /**
   * Records batches about to be served to {@code peer} (a page of a pull or a subscription) in the
   * transparency log, all in one transaction, and counts them; leaves out a damaged one.
   *
   * @return the batches to serve: those of {@code batches} that are intact
   */
  public List<StoredBatch> sent(List<StoredBatch> batches, OperatorIdentity peer) {
    List<StoredBatch> intact = batches.stream().filter(b -> intact(b, peer)).toList();
    if (intact.isEmpty() || isSelf(peer)) {
      return intact; // R9.12: nothing to log for the node's own backend
    }
    ctx.store()
        .write(
            tx -> {
              for (StoredBatch b : intact) {
                logSent(tx, b, peer);
              }
              return null;
            });
    return intact;
  }

  /**
   * Whether {@code stored}'s bytes still parse and hash to its stored content hash. A damaged batch
   * (a bad disk, an edited store) is logged and counted, never served: one batch that no client can
   * read would make the whole page or stream message unreadable, and its followers retry it
   * forever.
   */
  public boolean intact(StoredBatch stored, OperatorIdentity peer) {
    List<Digest> seen = List.of(Digest.sha256(stored.payload()), stored.contentSha256());
    if (intactPayloads.containsKey(seen)) {
      return true;
    }
    String damage;
    try {
      byte[] hash = CanonicalEncoding.batchDigest(DiagnosisKeyBatch.parseFrom(stored.payload()));
      if (java.util.Arrays.equals(hash, stored.contentSha256().bytes())) {
        intactPayloads.put(seen, Boolean.TRUE);
        return true;
      }
      damage = "its bytes do not hash to its stored content hash";
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      damage = "its bytes do not parse as a batch";
    }
    ctx.metrics().batch(peer.toString(), "out", "damaged", "", stored.keyCount());
    LOG.error(
        "event=batch_damaged position={} origin={} reason=\"{}; not served, restore the store\"",
        stored.position(),
        stored.origin(),
        damage);
    return false;
  }

  /**
   * Records one batch delivered to {@code peer} in the caller's transaction (a push, committed with
   * the push progress), unless the log already records its delivery to that peer (R13.37: a peer
   * pulling again from an old cursor must not grow the log without bound), and counts it.
   */
  public void logSent(Transaction tx, StoredBatch stored, OperatorIdentity peer) {
    if (isSelf(peer)) {
      return; // R9.12: served to the node's own backend; nothing crossed a border
    }
    if (!ctx.log().recordsDelivery(tx.log(), stored.contentSha256(), peer)) {
      ctx.log()
          .append(
              tx.log(),
              LogEvent.delivered(
                  stored.contentSha256(), stored.origin(), peer, stored.keyCount(), stored.own()));
    }
    String outcome = stored.own() ? "sent" : "forwarded";
    ctx.metrics().batch(peer.toString(), "out", outcome, "", stored.keyCount());
    ctx.metrics().batchBytes("out", stored.payload().length);
  }
}

package org.fedtrace.sim.federation;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.federation.Federation.Received;
import org.fedtrace.store.Page;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;

/**
 * What the simulator learns from its real nodes' stores: whether every node holds every batch, the
 * batches that arrived at a node, and every node's own batches. The stores are the nodes' own
 * ({@link NodeFederation}) or opened read-only from the simulator's process ({@link
 * ProcessFederation}).
 */
final class StoreWatch {
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final int PARSED_REMEMBERED = 4_096;

  /** Batches of all origins in a repeatable order. */
  private static final Comparator<DiagnosisKeyBatch> BY_ORIGIN_AND_SEQUENCE =
      Comparator.comparing(DiagnosisKeyBatch::getOrigin)
          .thenComparingLong(DiagnosisKeyBatch::getSequence);

  private final Map<String, Store> stores;
  private final boolean live;

  /** Per origin, the highest sequence every node held at the last sync. */
  private final Map<String, Long> synced = new LinkedHashMap<>();

  private long commits; // guarded by this

  /**
   * Batches parsed lately, by content hash: each batch reaches every node, and its bytes are the
   * same at each (a node stores and serves a batch's wire bytes unchanged), so a hundred nodes'
   * copies are parsed once. Only the simulator's thread uses it.
   */
  private final Map<org.fedtrace.crypto.Digest, DiagnosisKeyBatch> parsed =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(
            Map.Entry<org.fedtrace.crypto.Digest, DiagnosisKeyBatch> eldest) {
          return size() > PARSED_REMEMBERED;
        }
      };

  /**
   * Watches {@code stores}, by country, in the spec's country order.
   *
   * @param live whether the stores are the nodes' own, in this JVM: then waits wake on their
   *     commits; otherwise (other processes' databases, whose commits this JVM cannot observe)
   *     waits look again every millisecond
   */
  StoreWatch(Map<String, Store> stores, boolean live) {
    this.stores = new LinkedHashMap<>(stores);
    this.live = live;
    if (live) {
      for (Store s : this.stores.values()) {
        s.addCommitListener(this::committed);
      }
    }
  }

  private synchronized void committed() {
    commits++;
    notifyAll();
  }

  private synchronized long commits() {
    return commits;
  }

  /**
   * Waits until every node holds every batch any node published: for each origin, its highest
   * sequence number at every node equals the origin's own (an origin's batches arrive in sequence
   * order, directly or through a forwarder). Calls {@code whileWaiting} between looks, which may
   * throw to give up (a node process died).
   *
   * @throws IllegalStateException if the nodes are not in sync after a minute
   */
  void awaitSynced(Runnable whileWaiting) {
    // only origins that published since the last sync can be missing anywhere: with a hundred
    // nodes, looking up every origin at every node would be 10,000 queries a simulated hour
    Map<String, Long> published = new LinkedHashMap<>();
    for (Map.Entry<String, Store> e : stores.entrySet()) {
      long sequence = highestSequence(e.getValue(), e.getKey());
      if (sequence != synced.getOrDefault(e.getKey(), 0L)) {
        published.put(e.getKey(), sequence);
      }
    }
    if (published.isEmpty()) {
      return;
    }
    long deadline = System.nanoTime() + SYNC_TIMEOUT.toNanos();
    for (Map.Entry<String, Store> node : stores.entrySet()) {
      for (Map.Entry<String, Long> origin : published.entrySet()) {
        while (true) {
          long seen = commits();
          if (highestSequence(node.getValue(), origin.getKey()) >= origin.getValue()) {
            break;
          }
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "node "
                    + node.getKey()
                    + " holds "
                    + origin.getKey()
                    + " batches up to sequence "
                    + highestSequence(node.getValue(), origin.getKey())
                    + " of "
                    + origin.getValue()
                    + " after "
                    + SYNC_TIMEOUT.toSeconds()
                    + " s");
          }
          whileWaiting.run();
          pause(seen, deadline);
        }
      }
    }
    synced.putAll(published);
  }

  /** Waits for a commit after the {@code seen}-th (live stores) or a millisecond (others). */
  private void pause(long seen, long deadline) {
    try {
      if (!live) {
        TimeUnit.MILLISECONDS.sleep(1);
        return;
      }
      synchronized (this) {
        while (commits == seen) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return; // the caller reports the timeout
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the nodes", e);
    }
  }

  /**
   * The batches that arrived at {@code country}'s node after {@code marker} (a store position),
   * sorted by origin and sequence: arrival order between origins depends on network timing.
   */
  Received receivedSince(String country, long marker) {
    Store store = stores.get(country);
    List<DiagnosisKeyBatch> batches = new ArrayList<>();
    long last = marker;
    while (true) {
      long after = last;
      Page page = store.read(tx -> tx.batches().withKeysAfter(after, 1000));
      for (StoredBatch b : page.batches()) {
        batches.add(parsed.computeIfAbsent(b.contentSha256(), h -> parse(b.payload())));
      }
      if (page.lastPosition() == last) {
        break;
      }
      last = page.lastPosition();
    }
    batches.sort(BY_ORIGIN_AND_SEQUENCE);
    return new Received(batches, last);
  }

  /** Every node's own batches still held, by creation time, then origin and sequence. */
  List<DiagnosisKeyBatch> published() {
    List<DiagnosisKeyBatch> out = new ArrayList<>();
    for (Map.Entry<String, Store> e : stores.entrySet()) {
      for (StoredBatch b : e.getValue().read(tx -> tx.batches().ofOrigin(e.getKey()))) {
        out.add(parse(b.payload()));
      }
    }
    out.sort(
        Comparator.comparingLong(DiagnosisKeyBatch::getCreatedUnixSeconds)
            .thenComparing(BY_ORIGIN_AND_SEQUENCE));
    return out;
  }

  private static long highestSequence(Store store, String origin) {
    return store.read(tx -> tx.batches().highestSequence(origin));
  }

  private static DiagnosisKeyBatch parse(byte[] payload) {
    try {
      return DiagnosisKeyBatch.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored batch does not parse", e);
    }
  }
}

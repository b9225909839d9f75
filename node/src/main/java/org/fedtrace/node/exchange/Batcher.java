package org.fedtrace.node.exchange;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the keys of accepted uploads into the node's own signed batches, by the batching policy of
 * spec R21.14: a batch is published when {@code maxKeys} keys are pending; or when the oldest
 * pending key has waited {@code maxAgeSeconds} and the pending keys come from at least {@code
 * minUploads} uploads, so that a batch hides each uploader among others (R21.15); or, however few
 * uploads there are, when the oldest has waited {@code maxHoldSeconds}. Every batch is padded to at
 * least {@code minKeys} keys with random keys whose metadata is copied from the batch's real keys,
 * so padding is indistinguishable on the wire; a random key matches an observed identifier only
 * with probability 2^-128 per comparison. A batch whose keys come from fewer than {@code
 * decoyUploads} uploads is first topped up with decoy uploads ({@link Decoys}, R23.1), and padding
 * copies the decoys' metadata as it copies the real keys' (R23.4). Keys are sent sorted (R8.32), so
 * their position on the wire reveals nothing. Runs on one thread at a time.
 */
public final class Batcher {
  private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

  private final ExchangeContext ctx;
  private final String country;
  private final BatchSigner signer;
  private final NodeConfig.Batching policy;
  private final Random random;
  private final SequenceRecovery recovery;
  private final Decoys decoys;

  /**
   * @param country the node's country, the origin of its batches
   * @param random source of batch ids and padding keys: a {@link java.security.SecureRandom} in
   *     production (R8.26)
   * @param recovery while it holds, no batch is signed (R21.24)
   */
  public Batcher(
      ExchangeContext ctx,
      String country,
      BatchSigner signer,
      NodeConfig.Batching policy,
      Random random,
      SequenceRecovery recovery) {
    this.ctx = ctx;
    this.country = country;
    this.signer = signer;
    this.policy = policy;
    this.random = random;
    this.recovery = recovery;
    this.decoys = new Decoys(random);
  }

  /**
   * Publishes what the policy says is due; with {@code flush}, publishes every pending key now.
   *
   * @return the number of batches published
   */
  public synchronized int publishDue(boolean flush) {
    if (recovery.holding()) {
      return 0; // R21.24: numbering not recovered yet; the keys wait in the open batch
    }
    long now = ctx.clock().instant().getEpochSecond();
    if (!flush && !anyDue(ctx.store().read(tx -> tx.uploads().pending()), now)) {
      return 0; // the common case, decided without the write lock
    }
    // the pending keys are read, the next sequence chosen, the batch signed and stored, and the
    // keys consumed in one write transaction: writes are serial across every process sharing the
    // store (replicas), so no two ever sign two batches with one sequence number, nor one key twice
    List<Published> published =
        ctx.store()
            .write(
                tx -> {
                  List<Published> out = new ArrayList<>();
                  // R25.5: each scope has batches of its own, so a batch's signed scope is
                  // true of every key in it and receivers filter whole batches
                  for (List<PendingKey> pending : byScope(tx.uploads().pending())) {
                    int from = 0;
                    while (from < pending.size() && (flush || due(pending, from, now))) {
                      int n = Math.min(policy.maxKeys(), pending.size() - from);
                      out.add(publish(tx, pending.subList(from, from + n)));
                      from += n;
                    }
                  }
                  return out;
                });
    for (Published b : published) {
      decoys.published(b.uploads());
      ctx.metrics().decoyUploads(b.decoys());
      ctx.notifier().batchStored(new BatchNotifier.Stored(country, b.scope(), null));
      ctx.metrics().batch("", "own", "created", "", b.keys());
      LOG.info(
          "event=batch_created origin={} sequence={} keys={} padding={} decoy_uploads={}",
          country,
          Long.toUnsignedString(b.sequence()),
          b.keys(),
          b.padding(),
          b.decoys());
    }
    return published.size();
  }

  /**
   * A batch this node published: its sequence, its keys, how many of them are padding, how many
   * decoy uploads it carries, and the shapes of its real uploads (metadata only).
   */
  private record Published(
      long sequence,
      BatchScope scope,
      int keys,
      int padding,
      int decoys,
      List<Decoys.Shape> uploads) {}

  /** The pending keys in one list per scope, FEDERATE first; each keeps the order of upload. */
  private static List<List<PendingKey>> byScope(List<PendingKey> pending) {
    List<PendingKey> federate = new ArrayList<>();
    List<PendingKey> traveller = new ArrayList<>();
    for (PendingKey k : pending) {
      (k.scope() == AcceptedUpload.TRAVELLER ? traveller : federate).add(k);
    }
    return List.of(federate, traveller);
  }

  private boolean anyDue(List<PendingKey> pending, long now) {
    for (List<PendingKey> scope : byScope(pending)) {
      if (due(scope, 0, now)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the policy says the keys pending from index {@code from} on make a batch now. */
  private boolean due(List<PendingKey> pending, int from, long now) {
    if (from >= pending.size()) {
      return false;
    }
    int n = Math.min(policy.maxKeys(), pending.size() - from);
    boolean full = n == policy.maxKeys();
    long accepted = pending.get(from).acceptedUnixSeconds();
    // accepted after what the clock now reads: the clock was set back since (R1.1 allows 300 s
    // each way); the key has waited maxAgeSeconds at least, rather than until the clock catches up
    long waited = accepted > now ? policy.maxAgeSeconds() : now - accepted;
    long maxHold = Math.max(policy.maxHoldSeconds(), policy.maxAgeSeconds());
    boolean mixed =
        waited >= policy.maxAgeSeconds() && uploads(pending, from, from + n) >= policy.minUploads();
    return full || mixed || waited >= maxHold;
  }

  /** The number of uploads the pending keys {@code from} (inclusive) to {@code to} come from. */
  private static int uploads(List<PendingKey> pending, int from, int to) {
    java.util.Set<ByteString> ids = new java.util.HashSet<>();
    for (int i = from; i < to; i++) {
      ids.add(ByteString.copyFrom(pending.get(i).authorizationId()));
    }
    return ids.size();
  }

  /** Signs and stores one batch of {@code pending} keys in the write transaction {@code tx}. */
  private Published publish(Transaction tx, List<PendingKey> pending) {
    List<DiagnosisKey> keys = new ArrayList<>(Math.max(pending.size(), policy.minKeys()));
    long[] ids = new long[pending.size()];
    java.util.Map<ByteString, Integer> seen = new java.util.HashMap<>();
    for (int i = 0; i < pending.size(); i++) {
      ids[i] = pending.get(i).id();
      DiagnosisKey k = parse(pending.get(i).key());
      Integer at = seen.putIfAbsent(k.getKeyData(), keys.size());
      if (at == null) {
        keys.add(k); // R8.31: a key uploaded twice goes out once
      } else if (k.getReportType() == ReportType.REPORT_TYPE_REVOKED) {
        keys.set(at, k); // R8.35: and as REVOKED when either upload revoked it
      }
    }
    List<Decoys.Shape> uploads = shapes(pending);
    long now = ctx.clock().instant().getEpochSecond();
    long windowStart =
        pending.stream().mapToLong(PendingKey::acceptedUnixSeconds).min().orElse(now);
    // R23.1: decoy uploads make the batch carry decoyUploads upload-shaped chains at least, as
    // far as batch_max_keys leaves room
    List<List<DiagnosisKey>> decoyUploads =
        decoys.draw(
            uploads,
            Math.max(0, policy.decoyUploads() - uploads.size()),
            policy.maxKeys() - keys.size(),
            new long[] {Math.min(windowStart, now), now});
    decoyUploads.forEach(keys::addAll);
    int real = keys.size();
    // each real or decoy key lends its metadata to padding keys in turn, in a fresh random order
    // each round, so every real key has as many lookalikes as any other (±1): a key drawn less
    // often
    // would stand out to a peer linking one person's keys across days (spec §23.2, §23.3)
    int[] order = new int[real];
    for (int i = 0; i < real; i++) {
      order[i] = i;
    }
    int next = real;
    while (keys.size() < policy.minKeys()) {
      if (next == real) {
        shuffle(order);
        next = 0;
      }
      keys.add(padding(keys.get(order[next++])));
    }
    byte[] id = new byte[CanonicalEncoding.BATCH_ID_LENGTH];
    random.nextBytes(id);
    DiagnosisKeyBatch.Builder header = DiagnosisKeyBatch.newBuilder();
    if (pending.get(0).scope() == AcceptedUpload.TRAVELLER) {
      // R25.5: a traveller batch says so in signed bytes (format 2); a FEDERATE batch keeps
      // format 1, whose scope is FEDERATE by definition and which 0.7 nodes accept
      header
          .setFormatVersion(CanonicalEncoding.FORMAT_VERSION_SCOPED)
          .setScope(BatchScope.BATCH_SCOPE_TRAVELLER);
    } else {
      header.setFormatVersion(CanonicalEncoding.FORMAT_VERSION);
    }
    DiagnosisKeyBatch batch =
        signer.sign(
            header
                .setBatchId(ByteString.copyFrom(id))
                .setOrigin(country)
                .setSequence(tx.batches().highestSequence(country) + 1)
                .setCreatedUnixSeconds(now)
                // R8.32: in the order of the sorted key records, never in upload order, so
                // that neither the upload order nor the padding keys added last show
                .addAllKeys(CanonicalEncoding.sortedKeys(keys))
                .build());
    Digest digest = Digest.sha256(CanonicalEncoding.batch(batch));
    NewBatch own = new NewBatch(batch, batch.toByteArray(), digest, null, now);
    if (tx.batches().insert(own) != Batches.Insert.STORED) {
      throw new StoreException("own batch " + own.origin() + " already stored", null);
    }
    // the notice query finds this batch from the uploads whose keys it carries
    tx.notices().link(ids, digest, now);
    ctx.log().append(tx.log(), LogEvent.created(digest, country, keys.size()));
    tx.uploads().consume(ids);
    return new Published(
        batch.getSequence(),
        BatchScope.forNumber(own.scope()),
        keys.size(),
        keys.size() - real,
        decoyUploads.size(),
        uploads);
  }

  /** The real uploads of {@code pending}, grouped by authorization, without their key data. */
  private static List<Decoys.Shape> shapes(List<PendingKey> pending) {
    java.util.Map<ByteString, List<DiagnosisKey>> keys = new java.util.LinkedHashMap<>();
    java.util.Map<ByteString, Long> accepted = new java.util.HashMap<>();
    for (PendingKey p : pending) {
      ByteString upload = ByteString.copyFrom(p.authorizationId());
      keys.computeIfAbsent(upload, u -> new ArrayList<>())
          .add(parse(p.key()).toBuilder().clearKeyData().build());
      accepted.merge(upload, p.acceptedUnixSeconds(), Math::max);
    }
    List<Decoys.Shape> out = new ArrayList<>(keys.size());
    keys.forEach((upload, k) -> out.add(new Decoys.Shape(k, accepted.get(upload))));
    return out;
  }

  private void shuffle(int[] a) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** A random key with the metadata of {@code template}. */
  private DiagnosisKey padding(DiagnosisKey template) {
    byte[] key = new byte[16];
    random.nextBytes(key);
    return template.toBuilder().setKeyData(ByteString.copyFrom(key)).build();
  }

  private static DiagnosisKey parse(byte[] bytes) {
    try {
      return DiagnosisKey.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a pending key in the store does not parse", e);
    }
  }
}

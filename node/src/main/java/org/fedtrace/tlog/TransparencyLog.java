package org.fedtrace.tlog;

import com.google.protobuf.ByteString;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.fedtrace.crypto.Digest;
import org.fedtrace.crypto.Signer;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.LogReceipt;

/**
 * A node's transparency log (spec/transparency.md): appends one entry per exchange event, signs
 * checkpoints that never roll back, and answers entries and proofs. All state lives in the {@link
 * LogDatabase}; this class holds the rules.
 *
 * <p>Appending costs O(log n) reads and writes; proofs read O(log n) stored subtree hashes in one
 * query. A checkpoint is signed on demand: when the tree has grown since the latest one, when the
 * signing certificate changed, or when the latest is older than {@link #REFRESH}. Thread-safe as
 * far as the database serializes its write transactions.
 */
public final class TransparencyLog {
  /** Age after which {@link #checkpoint()} signs a new checkpoint even if the tree did not grow. */
  public static final Duration REFRESH = Duration.ofSeconds(60);

  /** Most entries {@link #entries} returns at once. */
  public static final int MAX_ENTRIES = 1000;

  private static final Set<EventType> STORED =
      Set.of(
          EventType.EVENT_TYPE_BATCH_CREATED,
          EventType.EVENT_TYPE_BATCH_IMPORTED,
          EventType.EVENT_TYPE_BATCH_RECEIVED);
  private static final Set<EventType> DELIVERED =
      Set.of(EventType.EVENT_TYPE_BATCH_SENT, EventType.EVENT_TYPE_BATCH_FORWARDED);

  private final LogDatabase db;
  private final String origin;
  private final Signer key;
  private final ByteString certificate;
  private final Clock clock;

  private TransparencyLog(
      LogDatabase db, String origin, Signer key, byte[] certificateDer, Clock clock) {
    this.db = db;
    this.origin = origin;
    this.key = key;
    this.certificate = ByteString.copyFrom(certificateDer);
    this.clock = clock;
  }

  /**
   * The log of {@code operator} kept in {@code db}, after checking that the stored tree reproduces
   * the root of the latest checkpoint (spec R13.9).
   *
   * @param key the node's batch-signing key, which signs checkpoints
   * @param certificateDer the DER batch-signing certificate of {@code key}
   * @throws LogIntegrityException if the stored log contradicts its latest checkpoint
   */
  public static TransparencyLog open(
      LogDatabase db, OperatorIdentity operator, Signer key, byte[] certificateDer, Clock clock) {
    TransparencyLog log =
        new TransparencyLog(db, Checkpoints.logOrigin(operator), key, certificateDer, clock);
    db.read(
        s -> {
          Optional<Checkpoint> latest = s.latestCheckpoint();
          if (latest.isPresent()) {
            log.requireReproduces(s, latest.get(), s.size());
          }
          return null;
        });
    return log;
  }

  /** The log's origin, {@code fedtrace.v1/CC/operator-id}. */
  public String origin() {
    return origin;
  }

  /**
   * Appends {@code event} in the caller's transaction on {@code store} and returns its receipt: the
   * one way an entry enters the log. The application calls it inside the transaction that makes the
   * change the event records (for a change of its own, inside {@link LogDatabase#write}), so the
   * change and its entry are durable together or not at all.
   *
   * @throws IllegalArgumentException if the event does not fit the spec's event table
   */
  public LogReceipt append(LogStore store, LogEvent event) {
    long count = event.type() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED ? 0 : event.keyCount();
    if (count < 0 || count > 0xffffffffL) {
      throw new IllegalArgumentException("key count " + count + " does not fit 32 bits");
    }
    long index = store.size();
    byte[] subject = event.subject().bytes();
    LogEntry entry =
        LogEntry.newBuilder()
            .setLeafIndex(index)
            .setEventType(event.type())
            .setTimeUnixSeconds(clock.instant().getEpochSecond())
            .setSubjectSha256(ByteString.copyFrom(subject))
            .setOrigin(event.origin())
            .setPeer(event.peer() == null ? "" : event.peer().toString())
            .setKeyCount((int) count)
            .setReason(event.reason())
            .build();
    byte[] leaf = LogEntries.encode(entry);
    byte[] leafHash = MerkleHashes.leafHash(leaf);
    Map<NodeId, byte[]> siblings = store.nodes(MerkleTree.siblingsCompletedBy(index));
    Map<NodeId, byte[]> completed = MerkleTree.parentsCompletedBy(index, leafHash, siblings);
    store.putLeaf(index, event.type().getNumber(), subject, leaf);
    store.putNodes(completed);
    return LogReceipt.newBuilder()
        .setLeafIndex(index)
        .setLeafHash(ByteString.copyFrom(leafHash))
        .build();
  }

  /**
   * The latest checkpoint, covering every entry appended before the call: signed now if the tree
   * grew since the latest one, the signing certificate changed, or the latest is older than {@link
   * #REFRESH}. Never smaller than a checkpoint signed before (spec R13.10).
   *
   * @throws LogIntegrityException if the stored tree is smaller than the latest checkpoint or does
   *     not reproduce its root; the log then signs nothing
   */
  public Checkpoint checkpoint() {
    Optional<Checkpoint> current = db.read(s -> current(s, clock.millis()));
    if (current.isPresent()) {
      return current.get();
    }
    return db.write(
        s -> {
          long now = clock.millis();
          Optional<Checkpoint> latest = current(s, now);
          if (latest.isPresent()) {
            return latest.get();
          }
          long time =
              s.latestCheckpoint().map(c -> Math.max(now, c.getTimeUnixMillis())).orElse(now);
          long size = s.size();
          Checkpoint next =
              Checkpoints.sign(origin, size, root(s, size), time, key, certificate.toByteArray());
          s.putLatestCheckpoint(next);
          return next;
        });
  }

  /**
   * The latest checkpoint if it still answers GetCheckpoint: it covers the whole tree, carries the
   * current certificate and is younger than {@link #REFRESH}. Checks it against the stored tree.
   */
  private Optional<Checkpoint> current(LogStore s, long now) {
    Optional<Checkpoint> latest = s.latestCheckpoint();
    if (latest.isEmpty()) {
      return Optional.empty();
    }
    Checkpoint last = latest.get();
    long size = s.size();
    requireReproduces(s, last, size);
    boolean fresh =
        last.getTreeSize() == size
            && last.getSignerCertificate().equals(certificate)
            && now - last.getTimeUnixMillis() < REFRESH.toMillis();
    return fresh ? latest : Optional.empty();
  }

  /** The log's side of witnessing: the checkpoints it asks its witnesses to cosign (§15.3). */
  public CosignedCheckpoints cosigned() {
    return new CosignedCheckpoints(db, this, clock);
  }

  /** The tree size of the latest signed checkpoint, 0 when none was signed. */
  public long checkpointSize() {
    return db.read(s -> s.latestCheckpoint().map(Checkpoint::getTreeSize).orElse(0L));
  }

  /**
   * Entries {@code [start, min(end, start + MAX_ENTRIES))}, in order.
   *
   * @throws IllegalArgumentException unless {@code 0 <= start < end}
   * @throws LogIntegrityException if a stored leaf is not a valid entry encoding, or an entry below
   *     the latest checkpoint is missing
   */
  public List<LogEntry> entries(long start, long end) {
    if (start < 0 || end <= start) {
      throw new IllegalArgumentException("no entries in [" + start + ", " + end + ")");
    }
    long last = Math.min(end, start + MAX_ENTRIES);
    List<LogEntry> out = db.read(s -> decode(s.leaves(start, last)));
    if (out.size() != last - start && start + out.size() < checkpointSize()) {
      throw new LogIntegrityException(
          "the log lacks entries of [" + start + ", " + last + ") below its checkpoint");
    }
    return out;
  }

  /**
   * The RFC 6962 audit path of leaf {@code index} in the tree of {@code size} leaves.
   *
   * @throws IllegalArgumentException unless {@code 0 <= index < size <=} the log's size
   */
  public List<byte[]> inclusionProof(long index, long size) {
    List<MerkleTree.Range> path = MerkleTree.inclusionPath(index, size);
    return db.read(s -> resolve(s, size, path));
  }

  /**
   * The RFC 6962 consistency proof from the tree of {@code first} leaves to that of {@code second}.
   *
   * @throws IllegalArgumentException unless {@code 0 < first <= second <=} the log's size
   */
  public List<byte[]> consistencyProof(long first, long second) {
    List<MerkleTree.Range> path = MerkleTree.consistencyPath(first, second);
    return db.read(s -> resolve(s, second, path));
  }

  /**
   * The receipt of the entry that recorded the storing of the batch with content hash {@code
   * subject} (its BATCH_CREATED or first BATCH_RECEIVED), for the answer to a duplicate publish.
   */
  public Optional<LogReceipt> receiptOfStored(Digest subject) {
    return db.read(
        s -> {
          for (LogStore.Leaf leaf : s.leavesWithSubject(subject.bytes())) {
            LogEntry e = decode(List.of(leaf)).get(0); // checks the stored bytes are an entry
            if (STORED.contains(e.getEventType())) {
              return Optional.of(
                  LogReceipt.newBuilder()
                      .setLeafIndex(leaf.index())
                      .setLeafHash(ByteString.copyFrom(MerkleHashes.leafHash(leaf.bytes())))
                      .build());
            }
          }
          return Optional.empty();
        });
  }

  /**
   * Whether {@code store} already records a delivery (BATCH_SENT or BATCH_FORWARDED) of the batch
   * {@code subject} to {@code peer}: then serving it to that peer again appends nothing (R13.37).
   */
  public boolean recordsDelivery(LogStore store, Digest subject, OperatorIdentity peer) {
    String name = peer.toString();
    for (LogEntry e : decode(store.leavesWithSubject(subject.bytes()))) {
      if (DELIVERED.contains(e.getEventType()) && e.getPeer().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entries below {@code size} that record a delivery (BATCH_SENT or BATCH_FORWARDED) of one of
   * the batches {@code subjects}, in log order.
   */
  public List<LogEntry> deliveries(Collection<Digest> subjects, long size) {
    return db.read(
        s -> {
          List<LogEntry> out = new ArrayList<>();
          for (Digest subject : subjects) {
            for (LogEntry e : decode(s.leavesWithSubject(subject.bytes()))) {
              if (DELIVERED.contains(e.getEventType()) && e.getLeafIndex() < size) {
                out.add(e);
              }
            }
          }
          out.sort((a, b) -> Long.compare(a.getLeafIndex(), b.getLeafIndex()));
          return out;
        });
  }

  private List<byte[]> resolve(LogStore s, long size, List<MerkleTree.Range> path) {
    long stored = s.size();
    if (size > stored) {
      throw new IllegalArgumentException("the log has " + stored + " entries, not " + size);
    }
    return MerkleTree.hashes(path, s.nodes(MerkleTree.nodesOf(path)));
  }

  private static byte[] root(LogStore s, long size) {
    MerkleTree.Range root = MerkleTree.root(size);
    if (root == null) {
      return MerkleHashes.emptyRoot();
    }
    return root.hash(s.nodes(root.nodes()));
  }

  private void requireReproduces(LogStore s, Checkpoint last, long size) {
    if (size < last.getTreeSize()) {
      throw new LogIntegrityException(
          "the log holds "
              + size
              + " entries but its latest checkpoint covers "
              + last.getTreeSize()
              + "; refusing to sign a smaller tree");
    }
    if (!last.getLogOrigin().equals(origin)) {
      throw new LogIntegrityException(
          "the stored checkpoint is of the log " + last.getLogOrigin() + ", not " + origin);
    }
    byte[] root = root(s, last.getTreeSize());
    if (!MessageDigest.isEqual(root, last.getRootHash().toByteArray())) {
      throw new LogIntegrityException(
          "the stored tree does not reproduce the root of the checkpoint of size "
              + last.getTreeSize());
    }
  }

  private static List<LogEntry> decode(List<LogStore.Leaf> leaves) {
    List<LogEntry> out = new ArrayList<>(leaves.size());
    for (LogStore.Leaf leaf : leaves) {
      try {
        out.add(LogEntries.decode(leaf.bytes(), leaf.index()));
      } catch (IllegalArgumentException e) {
        throw new LogIntegrityException(
            "stored leaf " + leaf.index() + " is not a log entry: " + e.getMessage());
      }
    }
    return out;
  }
}

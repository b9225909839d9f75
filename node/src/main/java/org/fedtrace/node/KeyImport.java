package org.fedtrace.node;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.export.Padding;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Batches;
import org.fedtrace.store.NewBatch;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.LogIntegrityException;
import org.fedtrace.tlog.TransparencyLog;

/**
 * Keys of another Exposure Notification server's verified export, made into batches of this node's
 * country (spec §24.5): checked against the key rules, padded and numbered as own batches are,
 * signed with the node's batch-signing key, stored and logged as EVENT_TYPE_BATCH_IMPORTED naming
 * the source. Works on the node's store while the node is stopped (as {@code store migrate}); the
 * node serves the batches once it runs. Not thread-safe.
 */
public final class KeyImport implements AutoCloseable {
  /** What an import stored: the batches' sequence numbers, and their real and padding keys. */
  public record Result(List<Long> sequences, int keys, int padding) {}

  private final NodeConfig config;
  private final Clock clock;
  private final NodeFiles files;
  private final Store store;
  private final TransparencyLog log;
  private final SecureRandom random = new SecureRandom();

  private KeyImport(
      NodeConfig config, Clock clock, NodeFiles files, Store store, TransparencyLog log) {
    this.config = config;
    this.clock = clock;
    this.files = files;
    this.store = store;
    this.log = log;
  }

  /**
   * Loads the node's files, store and log.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  public static KeyImport open(NodeConfig config, Clock clock) throws NodeStartException {
    NodeFiles files = NodeFiles.load(config, clock);
    Store store;
    try {
      store = NodeAssembly.openStore(config, files.agreement());
    } catch (NodeStartException | RuntimeException e) {
      files.close();
      throw e;
    }
    try {
      TransparencyLog log =
          TransparencyLog.open(
              store.logDatabase(),
              files.identity(),
              files.signer(),
              files.signingCertificate(),
              clock);
      return new KeyImport(config, clock, files, store, log);
    } catch (LogIntegrityException e) {
      store.close();
      files.close();
      throw new NodeStartException("dataDir: the transparency log is damaged: " + e.getMessage());
    }
  }

  /** The node's origin (spec §26.2): the origin of the batches an import makes. */
  public String country() {
    return org.fedtrace.pki.MemberOrigins.originOf(files.agreement().members(), files.identity());
  }

  /** The violations of the key rules (R4.1–R4.12) by {@code keys}, now; empty when none. */
  public List<RuleViolation.FieldViolation> check(List<DiagnosisKey> keys) {
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    new BatchRules(files.agreement().retentionDays(), Integer.MAX_VALUE)
        .checkKeys(keys, "keys", clock.instant(), bad);
    return bad;
  }

  /**
   * Stores {@code keys}, which {@link #check} passed, as batches of at most {@code
   * batching.maxKeys} keys each padded to {@code batching.minKeys}, each logged as imported from
   * {@code source}.
   *
   * @throws IllegalArgumentException if {@code source} is not 1 to 16 of A-Z a-z 0-9 . _ -
   * @throws StoreException if the store fails; batches committed before stay
   */
  public Result store(List<DiagnosisKey> keys, String source) {
    if (!LogEntries.SOURCE.matcher(source).matches()) {
      throw new IllegalArgumentException(
          "the source must be 1 to 16 letters, digits, '.', '_' or '-', got '" + source + "'");
    }
    int max = config.batching().maxKeys();
    List<Long> sequences = new ArrayList<>();
    int padding = 0;
    for (int from = 0; from < keys.size(); from += max) {
      List<DiagnosisKey> part = keys.subList(from, Math.min(keys.size(), from + max));
      List<DiagnosisKey> padded = Padding.pad(part, config.batching().minKeys(), 0, 0, random);
      padding += padded.size() - part.size();
      sequences.add(store.write(tx -> storeOne(tx, padded, source)));
    }
    return new Result(sequences, keys.size(), padding);
  }

  private long storeOne(org.fedtrace.store.Transaction tx, List<DiagnosisKey> keys, String source) {
    String country = country();
    byte[] id = new byte[CanonicalEncoding.BATCH_ID_LENGTH];
    random.nextBytes(id);
    long now = clock.instant().getEpochSecond();
    DiagnosisKeyBatch batch =
        new BatchSigner(files.signer(), files.signingCertificate())
            .sign(
                DiagnosisKeyBatch.newBuilder()
                    .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
                    .setBatchId(ByteString.copyFrom(id))
                    .setOrigin(country)
                    .setSequence(tx.batches().highestSequence(country) + 1)
                    .setCreatedUnixSeconds(now)
                    .addAllKeys(CanonicalEncoding.sortedKeys(keys))
                    .build());
    Digest digest = Digest.sha256(CanonicalEncoding.batch(batch));
    if (tx.batches().insert(new NewBatch(batch, batch.toByteArray(), digest, null, now))
        != Batches.Insert.STORED) {
      throw new StoreException("imported batch " + country + " already stored", null);
    }
    log.append(tx.log(), LogEvent.imported(digest, country, keys.size(), source));
    return batch.getSequence();
  }

  @Override
  public void close() {
    store.close();
    files.close();
  }
}

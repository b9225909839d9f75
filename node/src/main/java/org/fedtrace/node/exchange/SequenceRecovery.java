package org.fedtrace.node.exchange;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.fedtrace.pki.OperatorIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node started anew on an empty store gets its numbering back from its peers before it signs
 * again (spec R21.24): followers refuse a sequence number they saw before (R8.23), so an origin
 * that numbered from 1 again would have every new batch refused. While it recovers, the node takes
 * the batches of its own origin that it pulls from peers (which R8.36 otherwise refuses), and signs
 * none of its own; once every peer it pulls from has sent its backlog ({@code caught_up}), its next
 * sequence is the highest it holds plus one, as always. Uploads are accepted meanwhile and wait in
 * the open batch.
 *
 * <p>The state is a file in the data folder, written by {@link #begin} (the operator's {@code
 * fedtrace node --start-anew}) and removed when the recovery ends, so a restart during it recovers
 * again from every peer.
 */
public final class SequenceRecovery {
  private static final Logger LOG = LoggerFactory.getLogger(SequenceRecovery.class);

  /** The state file's name in the data folder. */
  public static final String FILE = "recover-sequence";

  private final Path file;
  private final Set<OperatorIdentity> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean active;

  private SequenceRecovery(Path file, boolean active) {
    this.file = file;
    this.active = active;
  }

  /** No recovery: the node signs as usual and refuses its own origin's batches it does not hold. */
  public static SequenceRecovery none() {
    return new SequenceRecovery(null, false);
  }

  /**
   * The recovery of the node whose data folder is {@code dataDir}: active when {@link #begin} left
   * its file there, waiting for every peer in {@code pulledPeers}.
   */
  public static SequenceRecovery open(Path dataDir, Collection<OperatorIdentity> pulledPeers) {
    Path file = dataDir.resolve(FILE);
    if (!Files.exists(file)) {
      return none();
    }
    SequenceRecovery r = new SequenceRecovery(file, true);
    r.pending.addAll(pulledPeers);
    if (r.pending.isEmpty()) {
      LOG.warn(
          "event=sequence_recovery_skipped reason=\"no peer to pull from; own numbering goes on"
              + " from the highest sequence stored\"");
      r.end();
    } else {
      LOG.warn(
          "event=sequence_recovery_started peers={} reason=\"started anew: own batches wait"
              + " until every peer sent its backlog (R21.24)\"",
          r.pending);
    }
    return r;
  }

  /**
   * Marks the node whose data folder is {@code dataDir} as started anew: it recovers its numbering
   * at its next start.
   */
  public static void begin(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    Files.writeString(dataDir.resolve(FILE), "started anew; recovering own sequence from peers\n");
  }

  /**
   * Whether the node must sign none of its own batches yet. A replica sharing the data folder may
   * end the recovery (it follows the peers this one does not): its file gone, this one ends too.
   */
  public boolean holding() {
    if (active && !Files.exists(file)) {
      active = false;
    }
    return active;
  }

  /** Whether a batch of the node's own origin pulled from a peer is taken now (R21.24). */
  boolean restores(boolean pulled) {
    return pulled && active;
  }

  /** The peer {@code peer} sent its whole backlog. */
  void caughtUp(OperatorIdentity peer) {
    if (active && pending.remove(peer) && pending.isEmpty()) {
      end();
      LOG.warn("event=sequence_recovered reason=\"every peer sent its backlog; signing resumes\"");
    }
  }

  private void end() {
    active = false;
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + file, e);
    }
  }
}

package org.fedtrace.node.exchange;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SignatureException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.fedtrace.crypto.Signer;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.ProofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node as a witness of its peers' logs (spec/transparency.md §15.2): fetches the checkpoint a
 * peer's log asks its witnesses to cosign, checks its signature (R17.2) and its consistency with
 * the last checkpoint of that log this node cosigned (R17.3), stores the new one durably before
 * cosigning it (R17.5), and hands the cosignature to the log (R17.7). A checkpoint that fails is
 * refused, kept as evidence, counted and logged (R17.4), and every later one is checked against the
 * last checkpoint cosigned, so a log that forked or rolled back stays refused.
 */
public final class Witness {
  private static final Logger LOG = LoggerFactory.getLogger(Witness.class);

  /** What a witness sees of a peer's log: its TransparencyLog and Witnessing services. */
  public interface Log {
    /** GetCheckpoint. */
    GetCheckpointResponse checkpoint();

    /** GetConsistencyProof from {@code first} to {@code second} leaves. */
    List<byte[]> consistencyProof(long first, long second);

    /** AddCosignature. */
    void addCosignature(AddCosignatureRequest request);
  }

  /** How one round of witnessing a peer ended; the metric's {@code outcome} label. */
  public enum Outcome {
    /** Cosigned and handed to the log. */
    COSIGNED,
    /** The log's candidate already carries this witness's cosignature. */
    UNCHANGED,
    /** The log serves no checkpoint to cosign. */
    NOTHING_TO_COSIGN,
    /** Refused: the signature or the signer's certificate does not verify (R17.2). */
    BAD_SIGNATURE,
    /** Refused: a smaller tree than the one cosigned last (R17.3). */
    ROLLED_BACK,
    /** Refused: same size with another root, or a failing consistency proof (R17.3). */
    FORKED,
    /** Refused: signed earlier than the one cosigned last (R17.3). */
    TIME_WENT_BACK;

    /** The metric label. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether the witness refused the checkpoint. */
    public boolean refused() {
      return ordinal() >= BAD_SIGNATURE.ordinal();
    }
  }

  private final Store store;
  private final NodeMetrics metrics;
  private final CertificateValidator validator;
  private final OperatorIdentity self;
  private final Signer key;
  private final byte[] certificateDer;
  private final Clock clock;

  /**
   * @param self this node, the witness
   * @param key its batch-signing key, which makes cosignatures
   * @param certificateDer the DER batch-signing certificate of {@code key}
   */
  public Witness(
      Store store,
      NodeMetrics metrics,
      CertificateValidator validator,
      OperatorIdentity self,
      Signer key,
      byte[] certificateDer,
      Clock clock) {
    this.store = store;
    this.metrics = metrics;
    this.validator = validator;
    this.self = self;
    this.key = key;
    this.certificateDer = certificateDer.clone();
    this.clock = clock;
  }

  /** This node, the witness. */
  OperatorIdentity self() {
    return self;
  }

  /**
   * Witnesses {@code peer}'s log once. Failures to reach the peer propagate as the client's
   * exceptions; the witness's state is unchanged then.
   */
  public Outcome witness(OperatorIdentity peer, Log log) {
    Outcome outcome = check(peer, log);
    metrics.witnessed(peer.toString(), outcome.label());
    return outcome;
  }

  private Outcome check(OperatorIdentity peer, Log log) {
    GetCheckpointResponse served = log.checkpoint();
    if (served.getCosignedCount() == 0) {
      return Outcome.NOTHING_TO_COSIGN;
    }
    CosignedCheckpoint candidate = served.getCosigned(0);
    Checkpoint next = candidate.getCheckpoint();
    String origin = Checkpoints.logOrigin(peer);
    try {
      verifySignature(peer, origin, next);
    } catch (SignatureException e) {
      LOG.error(
          "event=witness_refused peer={} reason=bad_signature tree_size={} error=\"{}\"",
          peer,
          next.getTreeSize(),
          e.getMessage());
      return Outcome.BAD_SIGNATURE;
    }
    Optional<Checkpoint> last = lastCosigned(origin);
    if (last.isPresent()) {
      Outcome verdict = consistency(last.get(), next, log);
      if (verdict.refused()) {
        store.write(
            tx -> {
              tx.witnessing().putRefused(origin, next.toByteArray());
              return null;
            });
        LOG.error(
            "event=witness_refused peer={} reason={} cosigned_size={} refused_size={}"
                + " - the log showed this witness a checkpoint that contradicts one it cosigned;"
                + " both are kept as evidence (witness_state)",
            peer,
            verdict.label(),
            last.get().getTreeSize(),
            next.getTreeSize());
        return verdict;
      }
      if (last.get().equals(next) && carriesOwn(candidate)) {
        return Outcome.UNCHANGED;
      }
    }
    if (last.isEmpty() || !last.get().equals(next)) {
      store.write(
          tx -> {
            tx.witnessing().putCosigned(origin, next.toByteArray());
            return null;
          });
    }
    long now = clock.instant().getEpochSecond();
    log.addCosignature(
        AddCosignatureRequest.newBuilder()
            .setCheckpoint(next)
            .setCosignature(Cosignatures.sign(next, self, now, key, certificateDer))
            .build());
    LOG.debug("event=witness_cosigned peer={} tree_size={}", peer, next.getTreeSize());
    return Outcome.COSIGNED;
  }

  private void verifySignature(OperatorIdentity peer, String origin, Checkpoint c)
      throws SignatureException {
    if (!c.getLogOrigin().equals(origin)) {
      throw new SignatureException("log_origin " + c.getLogOrigin() + " is not " + origin);
    }
    TrustedSigner signer;
    try {
      signer =
          validator.validateBatchSigner(c.getSignerCertificate().toByteArray(), clock.instant());
    } catch (CertificateRejectedException e) {
      throw new SignatureException("signer_certificate: " + e.getMessage(), e);
    }
    if (!signer.identity().equals(peer)) {
      throw new SignatureException("signer_certificate names " + signer.identity());
    }
    Checkpoints.verify(c, signer.key());
  }

  private static Outcome consistency(Checkpoint last, Checkpoint next, Log log) {
    if (next.getTreeSize() < last.getTreeSize()) {
      return Outcome.ROLLED_BACK;
    }
    if (next.getTimeUnixMillis() < last.getTimeUnixMillis()) {
      return Outcome.TIME_WENT_BACK;
    }
    List<byte[]> proof =
        next.getTreeSize() == last.getTreeSize() || last.getTreeSize() == 0
            ? List.of()
            : log.consistencyProof(last.getTreeSize(), next.getTreeSize());
    try {
      MerkleVerifier.verifyConsistency(
          last.getTreeSize(),
          next.getTreeSize(),
          last.getRootHash().toByteArray(),
          next.getRootHash().toByteArray(),
          proof);
    } catch (ProofException e) {
      return Outcome.FORKED;
    }
    return Outcome.COSIGNED;
  }

  private boolean carriesOwn(CosignedCheckpoint candidate) {
    String name = self.toString();
    return candidate.getCosignaturesList().stream().anyMatch(c -> c.getWitness().equals(name));
  }

  private Optional<Checkpoint> lastCosigned(String origin) {
    Optional<byte[]> stored = store.read(tx -> tx.witnessing().cosigned(origin));
    if (stored.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Checkpoint.parseFrom(stored.get()));
    } catch (InvalidProtocolBufferException e) {
      throw new StoreException("the witness state of " + origin + " does not parse", e);
    }
  }
}

package org.fedtrace.audit;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.ProofException;

/**
 * Audits a node's transparency log without trusting the node (spec/transparency.md section 9):
 * checks the latest checkpoint's signature against the node's batch-signing certificate (validated
 * by the federation authority), its consistency with the checkpoint kept from the last audit, the
 * inclusion of a sample of entries, and, for sampled deliveries, that the peer on the other end
 * recorded the same batch. Every check becomes a {@link AuditReport.Finding}; the audit never stops
 * at the first failure unless nothing further can be trusted.
 */
public final class Auditor {
  /** Clock difference tolerated between the auditor and a node (protocol.md §1.3). */
  public static final Duration SKEW = Duration.ofSeconds(300);

  /** Oldest checkpoint accepted from GetCheckpoint: R13.16's 300 seconds plus {@link #SKEW}. */
  public static final Duration MAX_AGE = Duration.ofSeconds(600);

  /** Finds the TransparencyLog service of a peer named in an entry, when the auditor knows it. */
  @FunctionalInterface
  public interface Peers {
    /** A client for {@code peer}'s log, or empty when its address is unknown. */
    Optional<LogClient> client(OperatorIdentity peer);
  }

  private final CertificateValidator validator;
  private final Clock clock;
  private final Random random;

  /**
   * @param validator trusts the federation authority only
   * @param random chooses the sample of entries
   */
  public Auditor(CertificateValidator validator, Clock clock, Random random) {
    this.validator = validator;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Audits the log of {@code target} through {@code client}.
   *
   * @param state what earlier audits verified
   * @param sample how many entries to check for inclusion (all when the log holds no more)
   */
  public AuditReport audit(
      OperatorIdentity target, LogClient client, AuditState state, int sample, Peers peers) {
    Run run = new Run(state.withTarget(target.toString()), peers);
    Optional<Trusted> trusted = run.checkpointOf(target, client);
    if (trusted.isPresent()) {
      long since = state.seen(trusted.get().origin()).map(AuditState.Seen::treeSize).orElse(0L);
      run.consistency(trusted.get(), client);
      run.sampledEntries(trusted.get(), client, since, sample);
    }
    return new AuditReport(run.findings, run.state);
  }

  /** A checkpoint whose signature verified, of the log of {@code identity}. */
  private record Trusted(OperatorIdentity identity, Checkpoint checkpoint, VerifyingKey key) {
    String origin() {
      return checkpoint.getLogOrigin();
    }

    long size() {
      return checkpoint.getTreeSize();
    }

    byte[] root() {
      return checkpoint.getRootHash().toByteArray();
    }
  }

  /** A peer's log, fetched whole and checked against its checkpoint, indexed by subject. */
  private record PeerLog(Trusted trusted, Map<ByteString, List<LogEntry>> bySubject) {}

  /** The mutable state of one audit. */
  private final class Run {
    private final List<AuditReport.Finding> findings = new ArrayList<>();
    private final Peers peers;
    private final Map<OperatorIdentity, Optional<PeerLog>> peerLogs = new HashMap<>();
    private AuditState state;

    Run(AuditState state, Peers peers) {
      this.state = state;
      this.peers = peers;
    }

    void verified(String text) {
      findings.add(new AuditReport.Finding(AuditReport.Kind.VERIFIED, text));
    }

    void failed(String text) {
      findings.add(new AuditReport.Finding(AuditReport.Kind.FAILED, text));
    }

    void skipped(String text) {
      findings.add(new AuditReport.Finding(AuditReport.Kind.SKIPPED, text));
    }

    /** Fetches and verifies the checkpoint of {@code id}'s log (R13.32). */
    Optional<Trusted> checkpointOf(OperatorIdentity id, LogClient client) {
      String origin = Checkpoints.logOrigin(id);
      Checkpoint cp;
      try {
        cp = client.checkpoint();
      } catch (RuntimeException e) {
        failed("cannot get the checkpoint of " + origin + ": " + describe(e));
        return Optional.empty();
      }
      Instant now = clock.instant();
      String what =
          "the checkpoint of " + origin + " (" + ReportText.entries(cp.getTreeSize()) + ")";
      if (!cp.getLogOrigin().equals(origin)) {
        failed(what + " names the log " + cp.getLogOrigin());
        return Optional.empty();
      }
      TrustedSigner signer;
      try {
        signer = validator.validateBatchSigner(cp.getSignerCertificate().toByteArray(), now);
      } catch (CertificateRejectedException e) {
        failed(what + " carries an unusable signing certificate: " + e.getMessage());
        return Optional.empty();
      }
      if (!signer.identity().equals(id)) {
        failed(what + " is signed by " + signer.identity() + ", not " + id);
        return Optional.empty();
      }
      try {
        Checkpoints.verify(cp, signer.key());
      } catch (SignatureException e) {
        failed(what + " has a signature that does not verify: " + e.getMessage());
        return Optional.empty();
      }
      Instant signed = Instant.ofEpochMilli(cp.getTimeUnixMillis());
      verified(
          what
              + ": signature of "
              + id
              + " verifies; root "
              + ReportText.shortHex(cp.getRootHash())
              + ", signed "
              + signed);
      if (signed.isAfter(now.plus(SKEW))) {
        failed(what + " is signed in the future (" + signed + ")");
      } else if (signed.isBefore(now.minus(MAX_AGE))) {
        failed(what + " is stale: signed " + signed + ", more than 10 minutes ago (R13.16)");
      }
      return Optional.of(new Trusted(id, cp, signer.key()));
    }

    /** Checks {@code t} against the checkpoint of the same log kept in the state (R13.33). */
    void consistency(Trusted t, LogClient client) {
      Optional<AuditState.Seen> kept = state.seen(t.origin());
      AuditState.Seen now =
          new AuditState.Seen(
              t.size(),
              t.root(),
              t.checkpoint().getTimeUnixMillis(),
              Checkpoints.signedNote(t.checkpoint(), t.key()));
      if (kept.isEmpty()) {
        skipped("no earlier checkpoint of " + t.origin() + " is kept; this one is now");
        state = state.with(t.origin(), now);
        return;
      }
      AuditState.Seen old = kept.get();
      String versus =
          "the checkpoint of " + ReportText.entries(old.treeSize()) + " kept from the last audit";
      if (t.size() < old.treeSize()) {
        failed(
            t.origin()
                + " rolled back: its checkpoint has "
                + ReportText.entries(t.size())
                + ", fewer than "
                + versus);
        return;
      }
      if (t.checkpoint().getTimeUnixMillis() < old.timeUnixMillis()) {
        failed(t.origin() + " went back in time: its checkpoint is older than " + versus);
        return;
      }
      try {
        List<byte[]> proof =
            old.treeSize() == 0 || old.treeSize() == t.size()
                ? List.of()
                : client.consistencyProof(old.treeSize(), t.size());
        MerkleVerifier.verifyConsistency(old.treeSize(), t.size(), old.rootHash(), t.root(), proof);
      } catch (ProofException e) {
        failed(
            t.origin()
                + " forked: its checkpoint of "
                + ReportText.entries(t.size())
                + " is not consistent with "
                + versus
                + ": "
                + e.getMessage());
        return;
      } catch (RuntimeException e) {
        failed("cannot get a consistency proof from " + t.origin() + ": " + describe(e));
        return;
      }
      verified(t.origin() + ": consistent with " + versus);
      state = state.with(t.origin(), now);
    }

    /**
     * Checks the inclusion of a sample of entries, always with the newest one and the first one
     * appended since the checkpoint of size {@code since} was kept, and cross-checks sampled
     * deliveries.
     */
    void sampledEntries(Trusted t, LogClient client, long since, int sample) {
      if (t.size() == 0) {
        skipped(t.origin() + " is empty: no entry to check");
        return;
      }
      for (long index : sample(t.size(), since, sample)) {
        LogEntry entry;
        try {
          List<LogEntry> got = client.entries(index, index + 1);
          if (got.isEmpty()) {
            failed("the log of " + t.origin() + " served no entry at index " + index);
            continue;
          }
          entry = got.get(0);
        } catch (RuntimeException e) {
          failed("cannot get entry " + index + " of " + t.origin() + ": " + describe(e));
          continue;
        }
        if (included(t, client, index, entry)) {
          crossCheck(t, entry);
        }
      }
    }

    private boolean included(Trusted t, LogClient client, long index, LogEntry entry) {
      String what = "entry " + index + " of " + t.origin();
      if (entry.getLeafIndex() != index) {
        failed(what + " came back as entry " + entry.getLeafIndex());
        return false;
      }
      Optional<String> wrong = semanticProblem(t, entry);
      if (wrong.isPresent()) {
        failed(what + " is malformed: " + wrong.get());
        return false;
      }
      what = what + " (" + ReportText.entry(entry) + ")";
      try {
        List<byte[]> path = client.inclusionProof(index, t.size());
        MerkleVerifier.verifyInclusion(LogEntries.leafHash(entry), index, t.size(), path, t.root());
      } catch (ProofException e) {
        failed(what + " is not in the signed tree: " + e.getMessage());
        return false;
      } catch (RuntimeException e) {
        failed("cannot get the inclusion proof of " + what + ": " + describe(e));
        return false;
      }
      verified(what + ": included in the tree of " + ReportText.entries(t.size()));
      return true;
    }

    /** What is wrong with the entry's fields for this log, if anything. */
    private Optional<String> semanticProblem(Trusted t, LogEntry e) {
      try {
        LogEntries.checkShape(e);
      } catch (IllegalArgumentException ex) {
        return Optional.of(ex.getMessage());
      }
      String country = t.identity().country();
      // the node's own origin: its country, or its member origin when the agreement lists another
      // member of its country (protocol.md §26.2), which log entries record whole (R26.16)
      String member = country + "-" + t.identity().operatorId();
      EventType type = e.getEventType();
      boolean ofBatch =
          type == EventType.EVENT_TYPE_BATCH_CREATED
              || type == EventType.EVENT_TYPE_BATCH_IMPORTED
              || type == EventType.EVENT_TYPE_BATCH_SENT;
      boolean ofCountry =
          type == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED
              || type == EventType.EVENT_TYPE_STATISTICS_RELEASED;
      boolean ownOrigin = e.getOrigin().equals(country) || e.getOrigin().equals(member);
      if (ofBatch && !ownOrigin) {
        return Optional.of(
            type + " of a batch of origin " + e.getOrigin() + ", not " + country + " or " + member);
      }
      if (ofCountry && !e.getOrigin().equals(country)) {
        return Optional.of(type + " of origin " + e.getOrigin() + ", not " + country);
      }
      if (type == EventType.EVENT_TYPE_BATCH_FORWARDED && ownOrigin) {
        return Optional.of("BATCH_FORWARDED of the node's own origin " + e.getOrigin());
      }
      if (e.getPeer().equals(t.identity().toString())) {
        return Optional.of("the node names itself as the peer");
      }
      if (e.getTimeUnixSeconds() > t.checkpoint().getTimeUnixMillis() / 1000 + SKEW.getSeconds()) {
        return Optional.of("it is dated after the checkpoint that covers it");
      }
      return Optional.empty();
    }

    /** For a delivery between the target and a peer, checks the peer's side (section 9.3). */
    private void crossCheck(Trusted t, LogEntry e) {
      EventType type = e.getEventType();
      boolean out =
          type == EventType.EVENT_TYPE_BATCH_SENT || type == EventType.EVENT_TYPE_BATCH_FORWARDED;
      if (!out && type != EventType.EVENT_TYPE_BATCH_RECEIVED) {
        return;
      }
      String what =
          "entry " + e.getLeafIndex() + " of " + t.origin() + " (" + ReportText.entry(e) + ")";
      Optional<OperatorIdentity> named = identity(e.getPeer());
      if (named.isEmpty()) {
        failed(what + ": names a peer that is no operator identity");
        return;
      }
      OperatorIdentity peer = named.get();
      Optional<PeerLog> log = peerLog(peer);
      if (log.isEmpty()) {
        skipped(what + ": not cross-checked, the log of " + peer + " is not available");
        return;
      }
      List<LogEntry> there = log.get().bySubject().getOrDefault(e.getSubjectSha256(), List.of());
      String peerOrigin = log.get().trusted().origin();
      Optional<LogEntry> match =
          there.stream()
              .filter(
                  p -> out ? confirmsDelivery(p, t.identity()) : recordsSending(p, t.identity()))
              .findFirst();
      if (match.isPresent()) {
        verified(
            what
                + ": "
                + peer
                + " recorded it as its entry "
                + match.get().getLeafIndex()
                + " ("
                + ReportText.entry(match.get())
                + ")");
      } else if (out) {
        failed(
            what
                + ": the log of "
                + peer
                + " ("
                + ReportText.entries(log.get().trusted().size())
                + ") has no record of batch "
                + ReportText.shortHex(e.getSubjectSha256())
                + " (a delivery lost in transit is sent again; audit again to confirm)");
      } else {
        failed(
            what
                + ": the log of "
                + peer
                + " ("
                + ReportText.entries(log.get().trusted().size())
                + ") records no delivery of batch "
                + ReportText.shortHex(e.getSubjectSha256())
                + " to "
                + t.identity()
                + " in "
                + peerOrigin);
      }
    }

    /** The peer's whole log, verified against its checkpoint; fetched once per audit. */
    private Optional<PeerLog> peerLog(OperatorIdentity peer) {
      return peerLogs.computeIfAbsent(peer, this::fetchPeerLog);
    }

    private Optional<PeerLog> fetchPeerLog(OperatorIdentity peer) {
      Optional<LogClient> client = peers.client(peer);
      if (client.isEmpty()) {
        skipped("no address is known for " + peer + ": its log is not cross-checked");
        return Optional.empty();
      }
      Optional<Trusted> trusted = checkpointOf(peer, client.get());
      if (trusted.isEmpty()) {
        return Optional.empty();
      }
      consistency(trusted.get(), client.get());
      Trusted t = trusted.get();
      List<LogEntry> entries;
      try {
        entries = t.size() == 0 ? List.of() : client.get().entries(0, t.size());
      } catch (RuntimeException e) {
        failed("cannot get the entries of " + t.origin() + ": " + describe(e));
        return Optional.empty();
      }
      List<byte[]> leafHashes = new ArrayList<>(entries.size());
      Map<ByteString, List<LogEntry>> bySubject = new HashMap<>();
      for (int i = 0; i < entries.size(); i++) {
        LogEntry e = entries.get(i);
        Optional<String> wrong =
            e.getLeafIndex() != i
                ? Optional.of("came back as entry " + e.getLeafIndex())
                : semanticProblem(t, e);
        if (wrong.isPresent()) {
          failed("entry " + i + " of " + t.origin() + " is malformed: " + wrong.get());
          return Optional.empty();
        }
        leafHashes.add(LogEntries.leafHash(e));
        bySubject.computeIfAbsent(e.getSubjectSha256(), k -> new ArrayList<>()).add(e);
      }
      if (entries.size() != t.size()
          || !MessageDigest.isEqual(MerkleVerifier.rootOf(leafHashes), t.root())) {
        failed(
            t.origin()
                + ": the tree rebuilt from the "
                + ReportText.entries(entries.size())
                + " it served is not the tree of its checkpoint");
        return Optional.empty();
      }
      verified(
          t.origin()
              + ": its signed tree rebuilt from the "
              + ReportText.entries(t.size())
              + " it served");
      return Optional.of(new PeerLog(t, bySubject));
    }

    private List<Long> sample(long size, long since, int sample) {
      TreeSet<Long> chosen = new TreeSet<>();
      if (size <= sample) {
        for (long i = 0; i < size; i++) {
          chosen.add(i);
        }
        return new ArrayList<>(chosen);
      }
      chosen.add(size - 1);
      if (since > 0 && since < size) {
        chosen.add(since);
      }
      while (chosen.size() < sample) {
        chosen.add(Math.floorMod(random.nextLong(), size));
      }
      return new ArrayList<>(chosen);
    }
  }

  /** A delivery's counterpart at the receiver: it stored, refused or already had the batch. */
  private static boolean confirmsDelivery(LogEntry atPeer, OperatorIdentity sender) {
    return switch (atPeer.getEventType()) {
      case EVENT_TYPE_BATCH_RECEIVED, EVENT_TYPE_BATCH_CREATED, EVENT_TYPE_BATCH_IMPORTED -> true;
      case EVENT_TYPE_BATCH_REFUSED -> atPeer.getPeer().equals(sender.toString());
      default -> false;
    };
  }

  /** A receipt's counterpart at the sender: it delivered the batch to the receiver. */
  private static boolean recordsSending(LogEntry atPeer, OperatorIdentity receiver) {
    return (atPeer.getEventType() == EventType.EVENT_TYPE_BATCH_SENT
            || atPeer.getEventType() == EventType.EVENT_TYPE_BATCH_FORWARDED)
        && atPeer.getPeer().equals(receiver.toString());
  }

  /** The identity an entry's peer names; the entry's shape was checked. */
  private static Optional<OperatorIdentity> identity(String peer) {
    try {
      return Optional.of(OperatorIdentity.parse(peer));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String describe(RuntimeException e) {
    if (e instanceof StatusRuntimeException s) {
      Status st = s.getStatus();
      return st.getCode() + (st.getDescription() == null ? "" : " \"" + st.getDescription() + "\"");
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}

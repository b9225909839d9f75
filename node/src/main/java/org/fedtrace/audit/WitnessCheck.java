package org.fedtrace.audit;

import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.tlog.Checkpoints;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.MerkleVerifier;
import org.fedtrace.tlog.ProofException;

/**
 * The auditor's witness check (spec/transparency.md §15.4, R17.13, R17.14): a checkpoint of the
 * audited log must carry valid cosignatures of a quorum of the agreement's other members, each
 * verified under a batch-signing certificate the federation authority issued to that member, and
 * every cosigned checkpoint the log serves must be consistent with its latest one. A cosigned
 * checkpoint that is not is evidence of a split view: the witnesses were shown another log than the
 * auditor. While the quorum is not met the check asks again, once a second, until {@code wait} ran
 * out, since witnesses cosign a new checkpoint within {@code sync.witnessIntervalSeconds}.
 */
public final class WitnessCheck {
  /** Waits between two attempts; a seam so that tests need not wait. */
  @FunctionalInterface
  public interface Sleeper {
    /** Waits {@code d}. */
    void sleep(Duration d) throws InterruptedException;
  }

  private final CertificateValidator validator;
  private final Clock clock;
  private final Sleeper sleeper;

  /**
   * @param validator trusts the federation authority only
   */
  public WitnessCheck(CertificateValidator validator, Clock clock, Sleeper sleeper) {
    this.validator = validator;
    this.clock = clock;
    this.sleeper = sleeper;
  }

  /** What one look at the log found. */
  private record Look(List<AuditReport.Finding> findings, boolean settled) {}

  /**
   * Checks that a quorum of {@code witnesses} cosigned a checkpoint of {@code target}'s log.
   *
   * @param witnesses the members whose cosignatures count (the agreement's members but the target)
   * @param quorum how many of them must have cosigned one checkpoint; 0 skips the check
   * @param wait how long to keep asking while the quorum is not met
   */
  public List<AuditReport.Finding> check(
      OperatorIdentity target,
      LogClient client,
      List<OperatorIdentity> witnesses,
      int quorum,
      Duration wait) {
    if (quorum == 0) {
      return List.of(
          new AuditReport.Finding(
              AuditReport.Kind.SKIPPED, "no witness quorum required (--quorum 0)"));
    }
    Instant until = clock.instant().plus(wait);
    while (true) {
      Look look = look(target, client, witnesses, quorum);
      if (look.settled() || !clock.instant().isBefore(until)) {
        return look.findings();
      }
      try {
        sleeper.sleep(Duration.ofSeconds(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return look.findings();
      }
    }
  }

  private Look look(
      OperatorIdentity target, LogClient client, List<OperatorIdentity> witnesses, int quorum) {
    List<AuditReport.Finding> out = new ArrayList<>();
    String origin = Checkpoints.logOrigin(target);
    GetCheckpointResponse served;
    try {
      served = client.witnessed();
      verifyLogSignature(target, served.getCheckpoint());
    } catch (SignatureException | RuntimeException e) {
      out.add(failed("cannot check the witnesses of " + origin + ": " + e.getMessage()));
      return new Look(out, true);
    }
    Set<String> best = Set.of();
    Checkpoint bestCheckpoint = null;
    for (CosignedCheckpoint cc : served.getCosignedList()) {
      Checkpoint c = cc.getCheckpoint();
      String what =
          "the cosigned checkpoint of " + origin + " (" + ReportText.entries(c.getTreeSize()) + ")";
      try {
        verifyLogSignature(target, c);
        consistent(c, served.getCheckpoint(), client);
      } catch (SignatureException | ProofException e) {
        out.add(
            failed(
                what
                    + " is not consistent with the log's latest checkpoint: split view, the"
                    + " witnesses were shown another log ("
                    + e.getMessage()
                    + ")"));
        return new Look(out, true);
      }
      Set<String> valid = new TreeSet<>();
      for (Cosignature cos : cc.getCosignaturesList()) {
        try {
          valid.add(verifyCosignature(c, cos, witnesses).toString());
        } catch (SignatureException e) {
          out.add(failed(what + " carries a cosignature that does not verify: " + e.getMessage()));
        }
      }
      if (valid.size() > best.size()) {
        best = valid;
        bestCheckpoint = c;
      }
    }
    if (best.size() >= quorum) {
      out.add(
          new AuditReport.Finding(
              AuditReport.Kind.VERIFIED,
              origin
                  + ": "
                  + best.size()
                  + " of "
                  + witnesses.size()
                  + " witnesses "
                  + best
                  + " cosigned its checkpoint of "
                  + ReportText.entries(bestCheckpoint.getTreeSize())
                  + " signed "
                  + Instant.ofEpochMilli(bestCheckpoint.getTimeUnixMillis())
                  + ", consistent with its latest (quorum "
                  + quorum
                  + ")"));
      return new Look(out, true);
    }
    out.add(
        failed(
            origin
                + ": witness quorum not met: at most "
                + best.size()
                + " of "
                + witnesses.size()
                + " witnesses "
                + best
                + " cosigned one checkpoint, "
                + quorum
                + " required; a witness that refused a checkpoint"
                + " (fedtrace_witness_checkpoints_total) or cannot reach the node leaves it"
                + " unwitnessed"));
    return new Look(out, false);
  }

  private void verifyLogSignature(OperatorIdentity target, Checkpoint c) throws SignatureException {
    String origin = Checkpoints.logOrigin(target);
    if (!c.getLogOrigin().equals(origin)) {
      throw new SignatureException("a checkpoint names the log " + c.getLogOrigin());
    }
    TrustedSigner signer = signer(c.getSignerCertificate().toByteArray());
    if (!signer.identity().equals(target)) {
      throw new SignatureException("a checkpoint is signed by " + signer.identity());
    }
    Checkpoints.verify(c, signer.key());
  }

  private OperatorIdentity verifyCosignature(
      Checkpoint c, Cosignature cos, List<OperatorIdentity> witnesses) throws SignatureException {
    OperatorIdentity witness;
    try {
      witness = OperatorIdentity.parse(cos.getWitness());
    } catch (IllegalArgumentException e) {
      throw new SignatureException("witness '" + cos.getWitness() + "' is no identity", e);
    }
    if (!witnesses.contains(witness)) {
      throw new SignatureException(witness + " is not a witness of this log");
    }
    TrustedSigner signer = signer(cos.getWitnessCertificate().toByteArray());
    if (!signer.identity().equals(witness)) {
      throw new SignatureException(
          "the certificate of " + witness + "'s cosignature names " + signer.identity());
    }
    Cosignatures.verify(c, cos, signer.key());
    return witness;
  }

  private TrustedSigner signer(byte[] der) throws SignatureException {
    try {
      return validator.validateBatchSigner(der, clock.instant());
    } catch (CertificateRejectedException e) {
      throw new SignatureException("unusable signing certificate: " + e.getMessage(), e);
    }
  }

  private static void consistent(Checkpoint cosigned, Checkpoint latest, LogClient client)
      throws ProofException {
    long m = cosigned.getTreeSize();
    long n = latest.getTreeSize();
    List<byte[]> proof = m == 0 || m >= n ? List.of() : client.consistencyProof(m, n);
    MerkleVerifier.verifyConsistency(
        m, n, cosigned.getRootHash().toByteArray(), latest.getRootHash().toByteArray(), proof);
  }

  private static AuditReport.Finding failed(String text) {
    return new AuditReport.Finding(AuditReport.Kind.FAILED, text);
  }
}

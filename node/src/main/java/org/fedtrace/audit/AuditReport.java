package org.fedtrace.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * What an audit verified, what it found wrong and what it could not check, in the order it did
 * them, with the state to remember for the next audit.
 */
public final class AuditReport {
  /** Outcome of one check. */
  public enum Kind {
    /** The check passed. */
    VERIFIED,
    /** The check found an inconsistency or could not get what it needed from the audited node. */
    FAILED,
    /** The check could not be made (a peer without a known address, or unreachable). */
    SKIPPED
  }

  /** One check and its outcome. */
  public record Finding(Kind kind, String text) {}

  private final List<Finding> findings;
  private final AuditState state;

  AuditReport(List<Finding> findings, AuditState state) {
    this.findings = List.copyOf(findings);
    this.state = state;
  }

  /** This report with {@code more} findings after its own. */
  public AuditReport with(List<Finding> more) {
    List<Finding> all = new ArrayList<>(findings);
    all.addAll(more);
    return new AuditReport(all, state);
  }

  /** Every finding, in order. */
  public List<Finding> findings() {
    return findings;
  }

  /** The findings of {@code kind}, in order. */
  public List<String> texts(Kind kind) {
    List<String> out = new ArrayList<>();
    for (Finding f : findings) {
      if (f.kind() == kind) {
        out.add(f.text());
      }
    }
    return out;
  }

  /** True when no check failed. */
  public boolean passed() {
    return texts(Kind.FAILED).isEmpty();
  }

  /**
   * The state to keep: every log's checkpoint that verified and was consistent with the one kept
   * before; a log whose checkpoint did not keeps its old one, so the next audit fails again.
   */
  public AuditState state() {
    return state;
  }
}

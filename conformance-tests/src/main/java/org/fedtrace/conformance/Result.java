package org.fedtrace.conformance;

import java.time.Duration;

/**
 * The outcome of one case.
 *
 * @param level the rule's level in the spec (MUST failures fail a run)
 * @param detail why it failed or was skipped; empty when it passed
 * @param failure the assertion or error of a failed case, or null
 */
public record Result(
    CaseInfo info,
    SpecRules.Level level,
    Outcome outcome,
    String detail,
    Duration time,
    Throwable failure) {
  /** What happened. */
  public enum Outcome {
    PASSED,
    FAILED,
    SKIPPED
  }
}

package org.fedtrace.conformance;

/** Thrown by a case that cannot run against this node or runner; reported as skipped, with why. */
public final class Skipped extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A skip for {@code reason}. */
  public Skipped(String reason) {
    super(reason);
  }
}

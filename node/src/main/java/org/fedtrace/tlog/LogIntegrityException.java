package org.fedtrace.tlog;

/**
 * The stored log contradicts itself or what the node signed before: a missing or wrong hash, a tree
 * smaller than the latest checkpoint, a checkpoint whose root the stored tree does not reproduce.
 * The node must not sign or serve anything from such a log; it is a defect or tampering, never the
 * caller's fault.
 */
public final class LogIntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** An integrity failure described by {@code message}. */
  public LogIntegrityException(String message) {
    super(message);
  }
}

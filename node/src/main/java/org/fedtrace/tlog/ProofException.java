package org.fedtrace.tlog;

/** An inclusion or consistency proof does not verify; the message says which check failed. */
public final class ProofException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failed proof described by {@code message}. */
  public ProofException(String message) {
    super(message);
  }
}

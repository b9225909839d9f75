package org.fedtrace.store;

/** The store could not be opened, read or written. Not the caller's fault; maps to UNAVAILABLE. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}, caused by {@code cause} (may be null). */
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

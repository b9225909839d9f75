package org.fedtrace.store;

/** The store could not be opened, read or written. Not the caller's fault; maps to INTERNAL. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.fedtrace.tlog;

/** The log's storage could not be opened, read or written. Not the caller's fault. */
public final class LogStorageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A storage failure described by {@code message}. */
  public LogStorageException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.fedtrace.pki;

/**
 * A federation agreement that cannot be trusted or read: its signature does not verify against the
 * federation authority, or its content is malformed. The message says which.
 */
public final class AgreementException extends Exception {
  private static final long serialVersionUID = 1L;

  /** An agreement refused for the reason {@code message}. */
  public AgreementException(String message) {
    super(message);
  }

  /** An agreement refused for the reason {@code message}, caused by {@code cause}. */
  public AgreementException(String message, Throwable cause) {
    super(message, cause);
  }
}

package org.fedtrace.cli;

/**
 * A failure caused by the user's input or environment (a missing file, an existing output folder)
 * rather than by a bug: printed as one line without a stack trace.
 */
public class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  /** A user error with exit status 1. */
  public UserError(String message) {
    this(message, 1);
  }

  /** A user error with the given exit status. */
  public UserError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  /** Exit status the command ends with. */
  public int exitCode() {
    return exitCode;
  }
}

package org.fedtrace.node;

/** The node cannot start; the message names the setting or file at fault. */
public final class NodeStartException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A start failure described by {@code message}. */
  public NodeStartException(String message) {
    super(message);
  }
}

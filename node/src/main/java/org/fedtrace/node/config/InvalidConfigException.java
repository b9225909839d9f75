package org.fedtrace.node.config;

/** A settings problem; the message names the setting. */
public final class InvalidConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code message}, which starts with the setting's name. */
  public InvalidConfigException(String message) {
    super(message);
  }
}

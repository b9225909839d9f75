package org.fedtrace.crypto.pkcs11;

/**
 * A token cannot be used: its module does not load, no token has the label, the PIN is wrong, no
 * key has the label, or the key is not an Ed25519 key. The message names what was wrong and, when
 * the module refused a call, the PKCS#11 return code; it never holds the PIN.
 */
public final class Pkcs11Exception extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure described by {@code message}. */
  public Pkcs11Exception(String message) {
    super(message);
  }

  /** A failure described by {@code message}, caused by {@code cause}. */
  public Pkcs11Exception(String message, Throwable cause) {
    super(message, cause);
  }
}

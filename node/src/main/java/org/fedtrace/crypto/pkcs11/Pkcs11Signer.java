package org.fedtrace.crypto.pkcs11;

import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SignatureException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.crypto.VerifyingKey;

/**
 * A {@link Signer} whose Ed25519 private key lives in a PKCS#11 token (an HSM) and never leaves it:
 * each signature is one {@code C_SignInit}/{@code C_Sign} with CKM_EDDSA (pure Ed25519, RFC 8032),
 * so it is the same signature a {@link SigningKey} with the same seed makes.
 *
 * <p>The key pair is found by its CKA_LABEL: the private key to sign, the public key (same label)
 * for {@link #verifyingKey}. Opening checks both are Ed25519 and belong together, by signing a
 * probe. Thread-safe: each signing thread borrows a session of its own, up to one per processor, so
 * signing scales with cores as far as the token does. Close it after the last signature.
 */
public final class Pkcs11Signer implements Signer, AutoCloseable {
  private static final byte[] PROBE =
      "fedtrace.v1.pkcs11-key-probe".getBytes(StandardCharsets.US_ASCII);

  private final Pkcs11Token token;
  private final String keyLabel;
  private final NativeLong key;
  private final VerifyingKey verifyingKey;
  private final int maxSessions;
  private final BlockingQueue<NativeLong> idle = new LinkedBlockingQueue<>();
  private final AtomicInteger opened = new AtomicInteger();
  private volatile boolean closed;

  private Pkcs11Signer(Pkcs11Token token, String keyLabel, NativeLong key, VerifyingKey vk) {
    this.token = token;
    this.keyLabel = keyLabel;
    this.key = key;
    this.verifyingKey = vk;
    this.maxSessions = Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Logs in to the token labelled {@code tokenLabel} of the module {@code library} with the PIN in
   * {@code pinFile} and opens the Ed25519 key labelled {@code keyLabel}.
   *
   * @throws Pkcs11Exception naming what was wrong: the library, the PIN file, the token, the PIN,
   *     the key, or its type
   */
  public static Pkcs11Signer open(Path library, String tokenLabel, Path pinFile, String keyLabel)
      throws Pkcs11Exception {
    return open(Pkcs11Token.login(library, tokenLabel, pinFile), keyLabel);
  }

  /**
   * Opens the Ed25519 key labelled {@code keyLabel} in the logged-in {@code token}; the signer
   * takes the token over and closes it when it closes (or when this method fails).
   *
   * @throws Pkcs11Exception if there is no such key pair, it is not Ed25519, or its halves do not
   *     belong together
   */
  public static Pkcs11Signer open(Pkcs11Token token, String keyLabel) throws Pkcs11Exception {
    try {
      NativeLong privateKey = token.find(Ck.CKO_PRIVATE_KEY, keyLabel, "private key");
      byte[] typeValue = token.attribute(privateKey, Ck.CKA_KEY_TYPE);
      if (typeValue.length != Long.BYTES && typeValue.length != Integer.BYTES) {
        throw notEd25519(token, keyLabel, "its CKA_KEY_TYPE is malformed");
      }
      long type = unsignedLong(typeValue);
      if (type != Ck.CKK_EC_EDWARDS) {
        throw notEd25519(token, keyLabel, String.format("its CKA_KEY_TYPE is 0x%X", type));
      }
      NativeLong publicKey = token.find(Ck.CKO_PUBLIC_KEY, keyLabel, "public key");
      byte[] params = token.attribute(publicKey, Ck.CKA_EC_PARAMS);
      if (!Ed25519Params.isEd25519(params)) {
        throw notEd25519(token, keyLabel, "its curve is another Edwards curve (Ed448?)");
      }
      VerifyingKey vk;
      try {
        vk = Ed25519Params.verifyingKey(token.attribute(publicKey, Ck.CKA_EC_POINT));
      } catch (IllegalArgumentException e) {
        throw notEd25519(token, keyLabel, "its public key is malformed: " + e.getMessage());
      }
      Pkcs11Signer signer = new Pkcs11Signer(token, keyLabel, privateKey, vk);
      try {
        signer.requireMatchingHalves();
      } catch (Pkcs11Exception e) {
        signer.closeSessions();
        throw e;
      }
      return signer;
    } catch (Pkcs11Exception | RuntimeException e) {
      token.close();
      throw e;
    }
  }

  private static Pkcs11Exception notEd25519(Pkcs11Token token, String keyLabel, String why) {
    return new Pkcs11Exception(
        "key '" + keyLabel + "' in token '" + token.label() + "' is not an Ed25519 key: " + why);
  }

  private void requireMatchingHalves() throws Pkcs11Exception {
    byte[] signature;
    try {
      signature = sign(PROBE);
      verifyingKey.verify(PROBE, signature);
    } catch (IllegalStateException | SignatureException e) {
      throw new Pkcs11Exception(
          "the private key '"
              + keyLabel
              + "' in token '"
              + token.label()
              + "' does not sign for the public key of the same label: "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The Ed25519 signature (64 bytes) of {@code message}, made inside the token.
   *
   * @throws IllegalStateException if the token refuses (removed, logged out) or the signer is
   *     closed; the message names the PKCS#11 return code
   */
  @Override
  public byte[] sign(byte[] message) {
    NativeLong session = borrow();
    try {
      return token.sign(session, key, Ck.CKM_EDDSA, message, SigningKey.SIGNATURE_LENGTH);
    } catch (Pkcs11Exception e) {
      throw new IllegalStateException(
          "signing with key '" + keyLabel + "' in token '" + token.label() + "': " + e.getMessage(),
          e);
    } finally {
      idle.add(session);
    }
  }

  private NativeLong borrow() {
    if (closed) {
      throw new IllegalStateException("the signer of key '" + keyLabel + "' is closed");
    }
    NativeLong session = idle.poll();
    if (session != null) {
      return session;
    }
    if (opened.incrementAndGet() <= maxSessions) {
      try {
        return token.openSession();
      } catch (Pkcs11Exception e) {
        opened.decrementAndGet();
        throw new IllegalStateException(
            "cannot open a session of token '" + token.label() + "': " + e.getMessage(), e);
      }
    }
    opened.decrementAndGet();
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a session to sign", e);
    }
  }

  /** The public key labelled like the private key, read from the token. */
  @Override
  public VerifyingKey verifyingKey() {
    return verifyingKey;
  }

  /** Closes the signing sessions, logs out and unloads the module if no one else uses it. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeSessions();
    token.close();
  }

  private void closeSessions() {
    for (NativeLong session = idle.poll(); session != null; session = idle.poll()) {
      token.closeSession(session);
    }
  }

  /** A {@code CK_ULONG} attribute value, in the platform's byte order. */
  private static long unsignedLong(byte[] value) {
    ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
    return value.length == Long.BYTES ? b.getLong() : Integer.toUnsignedLong(b.getInt());
  }

  @Override
  public String toString() {
    return "Pkcs11Signer['" + keyLabel + "' in " + token + "]";
  }
}

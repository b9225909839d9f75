package org.fedtrace.crypto.pkcs11;

import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.ptr.NativeLongByReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedtrace.crypto.SecretBytes;

/**
 * A token found by its label and logged in to as its user. It keeps one session open for its
 * lifetime (the login lasts as long as the application has a session) and opens more for callers
 * that want one each. Sessions may be used by one thread at a time; the token itself is
 * thread-safe.
 */
public final class Pkcs11Token implements AutoCloseable {
  /** Space for {@code CK_TOKEN_INFO}, whose label is its first 32 bytes. */
  private static final int TOKEN_INFO_BYTES = 512;

  private static final int LABEL_BYTES = 32;

  /** Offset of {@code flags} in {@code CK_TOKEN_INFO}, after four fixed-size character fields. */
  private static final int FLAGS_OFFSET = 96;

  private final Pkcs11Module module;
  private final Cryptoki ck;
  private final NativeLong slot;
  private final String label;
  private final NativeLong loginSession;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Pkcs11Token(Pkcs11Module module, NativeLong slot, String label, NativeLong session) {
    this.module = module;
    this.ck = module.cryptoki();
    this.slot = slot;
    this.label = label;
    this.loginSession = session;
  }

  /**
   * Logs in to the token labelled {@code tokenLabel} with the PIN in {@code pinFile} (its first
   * line; trailing white space is not part of the PIN).
   *
   * @throws Pkcs11Exception if the PIN file cannot be read or is empty, or as {@link #login(Path,
   *     String, SecretBytes)}
   */
  public static Pkcs11Token login(Path library, String tokenLabel, Path pinFile)
      throws Pkcs11Exception {
    SecretBytes pin = readPin(pinFile);
    try {
      return login(library, tokenLabel, pin);
    } finally {
      pin.destroy();
    }
  }

  /**
   * Finds the token labelled {@code tokenLabel} in the module {@code library} and logs in to it
   * with {@code pin}.
   *
   * @throws Pkcs11Exception if the module does not load, no token has the label, or the PIN is
   *     wrong or locked
   */
  public static Pkcs11Token login(Path library, String tokenLabel, SecretBytes pin)
      throws Pkcs11Exception {
    Pkcs11Module module = Pkcs11Module.acquire(library);
    NativeLong session = null;
    try {
      NativeLong slot = slot(module, tokenLabel);
      session = open(module.cryptoki(), slot);
      byte[] raw = pin.toByteArray();
      long rv;
      try {
        rv =
            module
                .cryptoki()
                .cLogin(session, new NativeLong(Ck.CKU_USER), raw, new NativeLong(raw.length))
                .longValue();
      } finally {
        Arrays.fill(raw, (byte) 0);
      }
      if (rv == Ck.CKR_PIN_INCORRECT) {
        throw new Pkcs11Exception("wrong PIN for token '" + tokenLabel + "' (CKR_PIN_INCORRECT)");
      }
      if (rv != Ck.CKR_OK && rv != Ck.CKR_USER_ALREADY_LOGGED_IN) {
        throw new Pkcs11Exception("cannot log in to token '" + tokenLabel + "': " + Ck.name(rv));
      }
      return new Pkcs11Token(module, slot, tokenLabel, session);
    } catch (Pkcs11Exception | RuntimeException e) {
      if (session != null) {
        module.cryptoki().cCloseSession(session);
      }
      module.release();
      throw e;
    }
  }

  private static SecretBytes readPin(Path pinFile) throws Pkcs11Exception {
    byte[] raw;
    try {
      raw = Files.readAllBytes(pinFile);
    } catch (IOException e) {
      throw new Pkcs11Exception("cannot read the PIN file " + pinFile + ": " + e, e);
    }
    int end = 0;
    while (end < raw.length && raw[end] != '\n' && raw[end] != '\r') {
      end++;
    }
    while (end > 0 && Character.isWhitespace(raw[end - 1])) {
      end--;
    }
    try {
      if (end == 0) {
        throw new Pkcs11Exception("the PIN file " + pinFile + " is empty");
      }
      byte[] pin = Arrays.copyOf(raw, end);
      SecretBytes secret = SecretBytes.copyOf(pin);
      Arrays.fill(pin, (byte) 0);
      return secret;
    } finally {
      Arrays.fill(raw, (byte) 0);
    }
  }

  private static NativeLong slot(Pkcs11Module module, String tokenLabel) throws Pkcs11Exception {
    Cryptoki ck = module.cryptoki();
    NativeLongByReference count = new NativeLongByReference(new NativeLong(0));
    Pkcs11Module.check(ck.cGetSlotList((byte) 1, null, count), "C_GetSlotList");
    List<String> seen = new ArrayList<>();
    int n = count.getValue().intValue();
    if (n > 0) {
      Memory slots = new Memory((long) n * NativeLong.SIZE);
      Pkcs11Module.check(ck.cGetSlotList((byte) 1, slots, count), "C_GetSlotList");
      for (int i = 0; i < count.getValue().intValue(); i++) {
        NativeLong slot = slots.getNativeLong((long) i * NativeLong.SIZE);
        Memory info = new Memory(TOKEN_INFO_BYTES);
        if (ck.cGetTokenInfo(slot, info).longValue() != Ck.CKR_OK
            || (info.getNativeLong(FLAGS_OFFSET).longValue() & Ck.CKF_TOKEN_INITIALIZED) == 0) {
          continue;
        }
        String label =
            new String(info.getByteArray(0, LABEL_BYTES), StandardCharsets.UTF_8).stripTrailing();
        if (label.equals(tokenLabel)) {
          return slot;
        }
        seen.add("'" + label + "'");
      }
    }
    throw new Pkcs11Exception(
        "no token labelled '"
            + tokenLabel
            + "' in "
            + module.library()
            + (seen.isEmpty() ? " (it shows no token)" : " (tokens present: " + seen + ")"));
  }

  private static NativeLong open(Cryptoki ck, NativeLong slot) throws Pkcs11Exception {
    NativeLongByReference session = new NativeLongByReference();
    NativeLong flags = new NativeLong(Ck.CKF_SERIAL_SESSION | Ck.CKF_RW_SESSION);
    Pkcs11Module.check(ck.cOpenSession(slot, flags, null, null, session), "C_OpenSession");
    return session.getValue();
  }

  /** The token's label. */
  public String label() {
    return label;
  }

  /** A new session of the logged-in user; give it back with {@link #closeSession}. */
  NativeLong openSession() throws Pkcs11Exception {
    return open(ck, slot);
  }

  /** Closes a session that {@link #openSession} opened. */
  void closeSession(NativeLong session) {
    ck.cCloseSession(session);
  }

  /** The session the login lives on, for calls made while no caller holds a session. */
  NativeLong loginSession() {
    return loginSession;
  }

  /**
   * The one object of class {@code objectClass} (CKO_PRIVATE_KEY, CKO_PUBLIC_KEY) labelled {@code
   * keyLabel}.
   *
   * @param what what the object is, for the message ("private key")
   * @throws Pkcs11Exception if there is none or more than one
   */
  NativeLong find(long objectClass, String keyLabel, String what) throws Pkcs11Exception {
    Memory found = new Memory(2L * NativeLong.SIZE);
    int n = search(objectClass, keyLabel, found);
    if (n != 1) {
      throw new Pkcs11Exception(
          (n == 0 ? "no " : "more than one ")
              + what
              + " labelled '"
              + keyLabel
              + "' in token '"
              + label
              + "'");
    }
    return found.getNativeLong(0);
  }

  /** Finds up to two objects of {@code objectClass} labelled {@code keyLabel}; how many. */
  private int search(long objectClass, String keyLabel, Memory found) throws Pkcs11Exception {
    Template t = new Template().add(Ck.CKA_CLASS, objectClass).add(Ck.CKA_LABEL, keyLabel);
    NativeLongByReference count = new NativeLongByReference();
    synchronized (loginSession) {
      Pkcs11Module.check(
          ck.cFindObjectsInit(loginSession, t.pointer(), t.count()), "C_FindObjectsInit");
      try {
        Pkcs11Module.check(
            ck.cFindObjects(
                loginSession, found, new NativeLong(found.size() / NativeLong.SIZE), count),
            "C_FindObjects");
      } finally {
        ck.cFindObjectsFinal(loginSession);
      }
    }
    return count.getValue().intValue();
  }

  /**
   * The value of attribute {@code type} of {@code object}.
   *
   * @throws Pkcs11Exception if the object does not have it or hides it
   */
  byte[] attribute(NativeLong object, long type) throws Pkcs11Exception {
    synchronized (loginSession) {
      Cryptoki.Attribute[] a = (Cryptoki.Attribute[]) new Cryptoki.Attribute().toArray(1);
      a[0].type = new NativeLong(type);
      a[0].write();
      Pkcs11Module.check(
          ck.cGetAttributeValue(loginSession, object, a[0].getPointer(), new NativeLong(1)),
          String.format("reading attribute 0x%X", type));
      a[0].read();
      long length = a[0].valueLength.longValue();
      if (length == Ck.UNAVAILABLE || length < 0 || length > 4096) {
        throw new Pkcs11Exception(String.format("attribute 0x%X is unavailable", type));
      }
      Memory value = new Memory(Math.max(1, length));
      a[0].value = value;
      a[0].write();
      Pkcs11Module.check(
          ck.cGetAttributeValue(loginSession, object, a[0].getPointer(), new NativeLong(1)),
          String.format("reading attribute 0x%X", type));
      return value.getByteArray(0, (int) length);
    }
  }

  /**
   * The signature of {@code message} under {@code key} with {@code mechanism}, on {@code session}
   * (which the caller holds alone).
   */
  byte[] sign(NativeLong session, NativeLong key, long mechanism, byte[] message, int maxLength)
      throws Pkcs11Exception {
    Pkcs11Module.check(ck.cSignInit(session, Cryptoki.Mechanism.of(mechanism), key), "C_SignInit");
    byte[] signature = new byte[maxLength];
    NativeLongByReference length = new NativeLongByReference(new NativeLong(maxLength));
    Pkcs11Module.check(
        ck.cSign(session, message, new NativeLong(message.length), signature, length), "C_Sign");
    int n = length.getValue().intValue();
    return n == maxLength ? signature : Arrays.copyOf(signature, n);
  }

  /**
   * Generates an Ed25519 key pair inside the token (CKM_EC_EDWARDS_KEY_PAIR_GEN), both halves
   * labelled {@code keyLabel} and kept on the token; the private half is sensitive and never
   * extractable, so it never leaves the HSM. Open a {@link Pkcs11Signer} on it afterwards.
   *
   * @throws Pkcs11Exception if a key with the label exists, or the token refuses
   */
  public void generateEd25519(String keyLabel) throws Pkcs11Exception {
    Memory probe = new Memory(2L * NativeLong.SIZE);
    if (search(Ck.CKO_PRIVATE_KEY, keyLabel, probe) > 0
        || search(Ck.CKO_PUBLIC_KEY, keyLabel, probe) > 0) {
      throw new Pkcs11Exception(
          "token '" + label + "' already holds a key labelled '" + keyLabel + "'");
    }
    byte[] id = keyLabel.getBytes(StandardCharsets.UTF_8);
    Template pub =
        new Template()
            .add(Ck.CKA_KEY_TYPE, Ck.CKK_EC_EDWARDS)
            .add(Ck.CKA_EC_PARAMS, Ed25519Params.OID)
            .add(Ck.CKA_TOKEN, true)
            .add(Ck.CKA_VERIFY, true)
            .add(Ck.CKA_LABEL, keyLabel)
            .add(Ck.CKA_ID, id);
    Template priv =
        new Template()
            .add(Ck.CKA_KEY_TYPE, Ck.CKK_EC_EDWARDS)
            .add(Ck.CKA_TOKEN, true)
            .add(Ck.CKA_PRIVATE, true)
            .add(Ck.CKA_SENSITIVE, true)
            .add(Ck.CKA_EXTRACTABLE, false)
            .add(Ck.CKA_SIGN, true)
            .add(Ck.CKA_LABEL, keyLabel)
            .add(Ck.CKA_ID, id);
    synchronized (loginSession) {
      Pkcs11Module.check(
          ck.cGenerateKeyPair(
              loginSession,
              Cryptoki.Mechanism.of(Ck.CKM_EC_EDWARDS_KEY_PAIR_GEN),
              pub.pointer(),
              pub.count(),
              priv.pointer(),
              priv.count(),
              new NativeLongByReference(),
              new NativeLongByReference()),
          "generating Ed25519 key '" + keyLabel + "' in token '" + label + "'");
    }
  }

  /** Logs out, closes the login session and gives up the module. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    synchronized (loginSession) {
      ck.cLogout(loginSession);
      ck.cCloseSession(loginSession);
    }
    module.release();
  }

  @Override
  public String toString() {
    return "Pkcs11Token['" + label + "' in " + module.library() + "]";
  }
}

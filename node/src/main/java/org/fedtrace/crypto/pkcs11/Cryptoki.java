package org.fedtrace.crypto.pkcs11;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The PKCS#11 (Cryptoki) v2.40/v3.0 functions fedtrace calls, bound with JNA to the C symbols a
 * module exports. {@code CK_ULONG} and the handles are C {@code unsigned long}, hence {@link
 * NativeLong}; every function returns a {@code CK_RV}. Structures use the platform's default
 * alignment (Unix); Windows modules pack to one byte and are not supported.
 */
interface Cryptoki extends Library {
  NativeLong C_Initialize(InitializeArgs args);

  NativeLong C_Finalize(Pointer reserved);

  NativeLong C_GetSlotList(byte tokenPresent, Memory slots, NativeLongByReference count);

  NativeLong C_GetTokenInfo(NativeLong slot, Memory info);

  NativeLong C_OpenSession(
      NativeLong slot,
      NativeLong flags,
      Pointer application,
      Pointer notify,
      NativeLongByReference session);

  NativeLong C_CloseSession(NativeLong session);

  NativeLong C_Login(NativeLong session, NativeLong userType, byte[] pin, NativeLong pinLength);

  NativeLong C_Logout(NativeLong session);

  NativeLong C_FindObjectsInit(NativeLong session, Pointer template, NativeLong count);

  NativeLong C_FindObjects(
      NativeLong session, Memory objects, NativeLong max, NativeLongByReference count);

  NativeLong C_FindObjectsFinal(NativeLong session);

  NativeLong C_GetAttributeValue(
      NativeLong session, NativeLong object, Pointer template, NativeLong count);

  NativeLong C_SignInit(NativeLong session, Mechanism mechanism, NativeLong key);

  NativeLong C_Sign(
      NativeLong session,
      byte[] data,
      NativeLong dataLength,
      byte[] signature,
      NativeLongByReference signatureLength);

  NativeLong C_GenerateKeyPair(
      NativeLong session,
      Mechanism mechanism,
      Pointer publicTemplate,
      NativeLong publicCount,
      Pointer privateTemplate,
      NativeLong privateCount,
      NativeLongByReference publicKey,
      NativeLongByReference privateKey);

  /** {@code CK_C_INITIALIZE_ARGS}: no mutex callbacks, the operating system's locks. */
  @Structure.FieldOrder({
    "createMutex",
    "destroyMutex",
    "lockMutex",
    "unlockMutex",
    "flags",
    "reserved"
  })
  final class InitializeArgs extends Structure {
    public Pointer createMutex;
    public Pointer destroyMutex;
    public Pointer lockMutex;
    public Pointer unlockMutex;
    public NativeLong flags;
    public Pointer reserved;

    /** Arguments that let the module use the operating system's locks (CKF_OS_LOCKING_OK). */
    static InitializeArgs osLocking() {
      InitializeArgs args = new InitializeArgs();
      args.flags = new NativeLong(Ck.CKF_OS_LOCKING_OK);
      return args;
    }
  }

  /** {@code CK_MECHANISM} without parameters. */
  @Structure.FieldOrder({"mechanism", "parameter", "parameterLength"})
  final class Mechanism extends Structure {
    public NativeLong mechanism;
    public Pointer parameter;
    public NativeLong parameterLength;

    /** The mechanism {@code type}, which takes no parameter (CKM_EDDSA for pure Ed25519). */
    static Mechanism of(long type) {
      Mechanism m = new Mechanism();
      m.mechanism = new NativeLong(type);
      m.parameterLength = new NativeLong(0);
      return m;
    }
  }

  /** {@code CK_ATTRIBUTE}: a type and a value buffer; arrays of them are templates. */
  @Structure.FieldOrder({"type", "value", "valueLength"})
  final class Attribute extends Structure {
    public NativeLong type;
    public Pointer value;
    public NativeLong valueLength;
  }
}

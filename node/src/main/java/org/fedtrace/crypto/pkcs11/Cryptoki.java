package org.fedtrace.crypto.pkcs11;

import com.sun.jna.FunctionMapper;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import com.sun.jna.ptr.NativeLongByReference;

/**
 * The PKCS#11 (Cryptoki) v2.40/v3.0 functions fedtrace calls, bound with JNA to the C symbols a
 * module exports: method {@code cSignInit} calls {@code C_SignInit} ({@link #FUNCTION_NAMES}).
 * {@code CK_ULONG} and the handles are C {@code unsigned long}, hence {@link NativeLong}; every
 * function returns a {@code CK_RV}. Structures use the platform's default alignment (Unix); Windows
 * modules pack to one byte and are not supported.
 */
interface Cryptoki extends Library {
  /** Maps {@code cName} to the C function {@code C_Name}. */
  FunctionMapper FUNCTION_NAMES = (library, method) -> "C_" + method.getName().substring(1);

  NativeLong cInitialize(InitializeArgs args);

  NativeLong cFinalize(Pointer reserved);

  NativeLong cGetSlotList(byte tokenPresent, Memory slots, NativeLongByReference count);

  NativeLong cGetTokenInfo(NativeLong slot, Memory info);

  NativeLong cOpenSession(
      NativeLong slot,
      NativeLong flags,
      Pointer application,
      Pointer notify,
      NativeLongByReference session);

  NativeLong cCloseSession(NativeLong session);

  NativeLong cLogin(NativeLong session, NativeLong userType, byte[] pin, NativeLong pinLength);

  NativeLong cLogout(NativeLong session);

  NativeLong cFindObjectsInit(NativeLong session, Pointer template, NativeLong count);

  NativeLong cFindObjects(
      NativeLong session, Memory objects, NativeLong max, NativeLongByReference count);

  NativeLong cFindObjectsFinal(NativeLong session);

  NativeLong cGetAttributeValue(
      NativeLong session, NativeLong object, Pointer template, NativeLong count);

  NativeLong cSignInit(NativeLong session, Mechanism mechanism, NativeLong key);

  NativeLong cSign(
      NativeLong session,
      byte[] data,
      NativeLong dataLength,
      byte[] signature,
      NativeLongByReference signatureLength);

  NativeLong cGenerateKeyPair(
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

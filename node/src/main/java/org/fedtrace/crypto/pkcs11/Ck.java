package org.fedtrace.crypto.pkcs11;

import java.util.Map;

/** The PKCS#11 constants fedtrace uses, with the spec's names, and the names of return codes. */
final class Ck {
  static final long CKR_OK = 0x0;
  static final long CKR_PIN_INCORRECT = 0xA0;
  static final long CKR_USER_ALREADY_LOGGED_IN = 0x100;
  static final long CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

  static final long CKF_OS_LOCKING_OK = 0x2;
  static final long CKF_RW_SESSION = 0x2;
  static final long CKF_SERIAL_SESSION = 0x4;
  static final long CKF_TOKEN_INITIALIZED = 0x400;
  static final long CKU_USER = 1;

  static final long CKO_PUBLIC_KEY = 2;
  static final long CKO_PRIVATE_KEY = 3;
  static final long CKK_EC_EDWARDS = 0x40;
  static final long CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055;
  static final long CKM_EDDSA = 0x1057;

  static final long CKA_CLASS = 0x0;
  static final long CKA_TOKEN = 0x1;
  static final long CKA_PRIVATE = 0x2;
  static final long CKA_LABEL = 0x3;
  static final long CKA_KEY_TYPE = 0x100;
  static final long CKA_ID = 0x102;
  static final long CKA_SENSITIVE = 0x103;
  static final long CKA_SIGN = 0x108;
  static final long CKA_VERIFY = 0x10A;
  static final long CKA_EXTRACTABLE = 0x162;
  static final long CKA_EC_PARAMS = 0x180;
  static final long CKA_EC_POINT = 0x181;

  /** {@code CK_UNAVAILABLE_INFORMATION}: an attribute the object does not have or hides. */
  static final long UNAVAILABLE = -1L;

  private static final Map<Long, String> RETURN_CODES =
      Map.ofEntries(
          Map.entry(0x2L, "CKR_HOST_MEMORY"),
          Map.entry(0x3L, "CKR_SLOT_ID_INVALID"),
          Map.entry(0x5L, "CKR_GENERAL_ERROR"),
          Map.entry(0x6L, "CKR_FUNCTION_FAILED"),
          Map.entry(0x7L, "CKR_ARGUMENTS_BAD"),
          Map.entry(0x12L, "CKR_ATTRIBUTE_TYPE_INVALID"),
          Map.entry(0x13L, "CKR_ATTRIBUTE_VALUE_INVALID"),
          Map.entry(0x30L, "CKR_DEVICE_ERROR"),
          Map.entry(0x31L, "CKR_DEVICE_MEMORY"),
          Map.entry(0x32L, "CKR_DEVICE_REMOVED"),
          Map.entry(0x60L, "CKR_KEY_HANDLE_INVALID"),
          Map.entry(0x63L, "CKR_KEY_TYPE_INCONSISTENT"),
          Map.entry(0x68L, "CKR_KEY_FUNCTION_NOT_PERMITTED"),
          Map.entry(0x70L, "CKR_MECHANISM_INVALID"),
          Map.entry(0x71L, "CKR_MECHANISM_PARAM_INVALID"),
          Map.entry(0x82L, "CKR_OBJECT_HANDLE_INVALID"),
          Map.entry(0x90L, "CKR_OPERATION_ACTIVE"),
          Map.entry(CKR_PIN_INCORRECT, "CKR_PIN_INCORRECT"),
          Map.entry(0xA1L, "CKR_PIN_INVALID"),
          Map.entry(0xA2L, "CKR_PIN_LEN_RANGE"),
          Map.entry(0xA4L, "CKR_PIN_LOCKED"),
          Map.entry(0xB0L, "CKR_SESSION_CLOSED"),
          Map.entry(0xB1L, "CKR_SESSION_COUNT"),
          Map.entry(0xB3L, "CKR_SESSION_HANDLE_INVALID"),
          Map.entry(0xD0L, "CKR_TEMPLATE_INCOMPLETE"),
          Map.entry(0xD1L, "CKR_TEMPLATE_INCONSISTENT"),
          Map.entry(0xE0L, "CKR_TOKEN_NOT_PRESENT"),
          Map.entry(0xE2L, "CKR_TOKEN_WRITE_PROTECTED"),
          Map.entry(CKR_USER_ALREADY_LOGGED_IN, "CKR_USER_ALREADY_LOGGED_IN"),
          Map.entry(0x101L, "CKR_USER_NOT_LOGGED_IN"),
          Map.entry(0x102L, "CKR_USER_PIN_NOT_INITIALIZED"),
          Map.entry(0x150L, "CKR_BUFFER_TOO_SMALL"),
          Map.entry(0x190L, "CKR_CRYPTOKI_NOT_INITIALIZED"),
          Map.entry(CKR_CRYPTOKI_ALREADY_INITIALIZED, "CKR_CRYPTOKI_ALREADY_INITIALIZED"));

  private Ck() {}

  /** The spec's name of return code {@code rv}, or its hex value if fedtrace does not know it. */
  static String name(long rv) {
    return RETURN_CODES.getOrDefault(rv, String.format("CKR 0x%X", rv));
  }
}

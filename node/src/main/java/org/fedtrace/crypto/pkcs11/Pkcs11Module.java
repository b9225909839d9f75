package org.fedtrace.crypto.pkcs11;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A loaded PKCS#11 module (the vendor's shared library), initialized once per process however many
 * tokens use it: {@code C_Initialize} on the first {@link #acquire}, {@code C_Finalize} on the last
 * {@link #release}. A module that someone else in the process initialized (SunPKCS11, say) is left
 * initialized. Thread-safe.
 */
final class Pkcs11Module {
  private static final Map<Path, Pkcs11Module> LOADED = new HashMap<>();

  private final Path library;
  private final Cryptoki cryptoki;
  private final boolean finalizeOnRelease;
  private int users;

  private Pkcs11Module(Path library, Cryptoki cryptoki, boolean finalizeOnRelease) {
    this.library = library;
    this.cryptoki = cryptoki;
    this.finalizeOnRelease = finalizeOnRelease;
  }

  /**
   * The module at {@code library}, loaded and initialized if no one uses it yet.
   *
   * @throws Pkcs11Exception if the file is missing, is not a PKCS#11 module, or fails to initialize
   */
  static Pkcs11Module acquire(Path library) throws Pkcs11Exception {
    Path key = library.toAbsolutePath().normalize();
    synchronized (LOADED) {
      Pkcs11Module module = LOADED.get(key);
      if (module == null) {
        module = load(key);
        LOADED.put(key, module);
      }
      module.users++;
      return module;
    }
  }

  private static Pkcs11Module load(Path library) throws Pkcs11Exception {
    if (!Files.isReadable(library)) {
      throw new Pkcs11Exception("PKCS#11 library " + library + " does not exist or is unreadable");
    }
    Cryptoki cryptoki;
    try {
      cryptoki =
          Native.load(
              library.toString(),
              Cryptoki.class,
              Map.of(Library.OPTION_FUNCTION_MAPPER, Cryptoki.FUNCTION_NAMES));
    } catch (UnsatisfiedLinkError e) {
      throw new Pkcs11Exception(
          "cannot load the PKCS#11 library " + library + ": " + e.getMessage(), e);
    }
    long rv;
    try {
      rv = cryptoki.cInitialize(Cryptoki.InitializeArgs.osLocking()).longValue();
    } catch (UnsatisfiedLinkError e) {
      throw new Pkcs11Exception(library + " is not a PKCS#11 library: " + e.getMessage(), e);
    }
    if (rv != Ck.CKR_OK && rv != Ck.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new Pkcs11Exception(
          "the PKCS#11 library " + library + " failed to initialize: " + Ck.name(rv));
    }
    return new Pkcs11Module(library, cryptoki, rv == Ck.CKR_OK);
  }

  /** Gives up one use; the last user finalizes the module (if this class initialized it). */
  void release() {
    synchronized (LOADED) {
      if (--users > 0) {
        return;
      }
      LOADED.remove(library);
      if (finalizeOnRelease) {
        cryptoki.cFinalize(null);
      }
    }
  }

  /** The module's functions. */
  Cryptoki cryptoki() {
    return cryptoki;
  }

  /** The path of the module's library. */
  Path library() {
    return library;
  }

  /**
   * Throws unless {@code rv} is CKR_OK.
   *
   * @param what what the call did, for the message ("C_Sign", "logging in to token 'x'")
   */
  static void check(NativeLong rv, String what) throws Pkcs11Exception {
    if (rv.longValue() != Ck.CKR_OK) {
      throw new Pkcs11Exception(what + " failed: " + Ck.name(rv.longValue()));
    }
  }
}

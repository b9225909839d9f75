/**
 * Ed25519 signing keys held in a PKCS#11 token (an HSM), behind {@link org.fedtrace.crypto.Signer}:
 * {@link org.fedtrace.crypto.pkcs11.Pkcs11Signer} signs with CKM_EDDSA inside the token, {@link
 * org.fedtrace.crypto.pkcs11.Pkcs11Token} logs in and generates keys that never leave it.
 *
 * <p>The JDK's SunPKCS11 provider offers no EdDSA (JDK 17 and 25 alike), so this package calls the
 * vendor's module directly through JNA: the few Cryptoki functions it needs, no native code of its
 * own. See docs/key-custody.md for what was tried and measured.
 */
package org.fedtrace.crypto.pkcs11;

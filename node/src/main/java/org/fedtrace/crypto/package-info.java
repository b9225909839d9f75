/**
 * Every cryptographic primitive fedtrace uses, created in one place.
 *
 * <p>This is the only package that names a JCE algorithm or provider, or touches Bouncy Castle's
 * primitives. The hot path of token derivation (HKDF-SHA256 and AES-128) uses the JDK's JCE
 * implementations, which the JIT compiles to AES-NI and SHA instructions; callers never pass nonces
 * or IVs. Signing goes through {@link org.fedtrace.crypto.Signer}, so a key can live in an HSM;
 * hashes travel as {@link org.fedtrace.crypto.Digest}.
 */
package org.fedtrace.crypto;

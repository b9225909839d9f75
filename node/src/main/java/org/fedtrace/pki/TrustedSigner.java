package org.fedtrace.pki;

import org.fedtrace.crypto.VerifyingKey;

/**
 * A batch signer whose certificate the federation authority issued for batch signing: who it is and
 * the Ed25519 key its batch signatures verify under.
 *
 * @param identity the operator named by the signing certificate
 * @param key the certificate's Ed25519 public key
 */
public record TrustedSigner(OperatorIdentity identity, VerifyingKey key) {}

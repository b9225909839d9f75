/**
 * The federation's public-key infrastructure: the federation authority (root CA), operator
 * certificates, the signed federation agreement, and the validation every node applies to the
 * certificates it sees.
 *
 * <p>Each operator holds two certificates bound to its {@link org.fedtrace.pki.OperatorIdentity}
 * (country and operator id): an ECDSA P-256 TLS certificate for both ends of a connection and an
 * Ed25519 batch-signing certificate. {@link org.fedtrace.pki.CertificateValidator} refuses either
 * for the other's purpose. Keys and signatures come from {@link org.fedtrace.crypto}; this package
 * only builds and reads the X.509 and JSON structures around them.
 */
package org.fedtrace.pki;

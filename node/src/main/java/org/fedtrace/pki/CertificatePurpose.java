package org.fedtrace.pki;

/**
 * What a certificate is about to be used for. Each operator holds two certificates: a TLS
 * certificate (for both ends of a connection) and a batch-signing certificate; neither is accepted
 * for the other's purpose.
 */
public enum CertificatePurpose {
  /** The client end of a federation TLS connection: extended key usage clientAuth. */
  TLS_CLIENT,
  /** The server end of a federation TLS connection: extended key usage serverAuth. */
  TLS_SERVER,
  /** Signing diagnosis key batches: only the fedtrace batch-signing extended key usage. */
  BATCH_SIGNING
}

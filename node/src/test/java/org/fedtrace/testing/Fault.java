package org.fedtrace.testing;

/**
 * Deliberate defects, one at a time, for the test that proves the conformance suite catches a
 * broken node. A node gets them only through {@link FaultSeam}, test code that replaces parts as
 * the node is assembled ({@link org.fedtrace.node.NodeSeam}); a production node never has any.
 */
public enum Fault {
  /** Stores batches whose signature does not verify (breaks R8.20). */
  ACCEPT_BAD_SIGNATURE,
  /** Accepts a batch whose origin differs from its signer's country (breaks R8.19). */
  SKIP_ORIGIN_CHECK,
  /** Accepts a new batch that reuses an origin's sequence number (breaks R8.23). */
  ACCEPT_REPLAY,
  /** Accepts keys and batches past the retention window (breaks R4.4 and R8.8). */
  IGNORE_RETENTION,
  /** Keeps exchanging after the sunset (breaks R21.6). */
  IGNORE_SUNSET,
  /** Stores an identical retry again and reports it as new (breaks R8.21). */
  STORE_DUPLICATE,
  /** Lets clients without a certificate complete the handshake (breaks R6.2). */
  ACCEPT_NO_CLIENT_CERTIFICATE,
  /** Forgets an upload's consent and federates domestic-only keys (breaks R25.4). */
  LEAK_DOMESTIC_KEYS
}

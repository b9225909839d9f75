/**
 * The suite's own reading of the wire formats (canonical encoding, log entries, Merkle proofs,
 * checkpoints, RPIs), written from the spec alone, so that a node is checked against the spec and
 * not against fedtrace's implementation.
 */
package org.fedtrace.conformance.wire;

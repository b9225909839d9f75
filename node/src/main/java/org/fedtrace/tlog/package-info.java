/**
 * The transparency log as a library (spec/transparency.md), like transparency-dev's tessera: an
 * append-only Merkle tree with the hashing of RFC 6962, the log-entry and checkpoint encodings,
 * inclusion and consistency proofs and their verifier, the application's {@link
 * org.fedtrace.tlog.LogEvent} and one {@link org.fedtrace.tlog.TransparencyLog#append}. Storage is
 * behind the {@link org.fedtrace.tlog.LogStore} port, so an application appends an event in the
 * same transaction as the change it records. It knows nothing of the node that uses it.
 */
package org.fedtrace.tlog;

/**
 * The transparency log (spec/transparency.md): an append-only Merkle tree with the hashing of RFC
 * 6962, one leaf per exchange event, checkpoints signed as C2SP signed notes, inclusion and
 * consistency proofs, the notice query, and the auditor that checks a node's log without trusting
 * it. Storage is behind {@link org.fedtrace.tlog.LogStore}, so the node can append an event in the
 * same transaction as the state change it records.
 */
package org.fedtrace.tlog;

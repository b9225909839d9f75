/**
 * The node's exchange: {@link org.fedtrace.node.exchange.Ingest} takes a batch from a peer through
 * {@link org.fedtrace.node.exchange.Admission} into the store with its log entry; {@link
 * org.fedtrace.node.exchange.Batcher} turns uploaded keys into the node's own signed batches;
 * {@link org.fedtrace.node.exchange.Peers} subscribes to peers or pushes to them; {@link
 * org.fedtrace.node.exchange.Deliveries} decides and logs what leaves for a peer; {@link
 * org.fedtrace.node.exchange.Housekeeping} enforces retention and sunset.
 */
package org.fedtrace.node.exchange;

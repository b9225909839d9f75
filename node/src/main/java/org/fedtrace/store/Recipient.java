package org.fedtrace.store;

import org.fedtrace.pki.OperatorIdentity;

/**
 * Who batches are served to, and so which ones: never a batch of the recipient's own country nor
 * one received from it; only the node's own batches unless the node forwards; none holding a key
 * whose validity ended before the retention window (spec §1.3), even before the purge removed it.
 *
 * @param peer the peer served
 * @param forward whether batches received from other peers are served too
 * @param windowStart the first interval of the retention window
 */
public record Recipient(OperatorIdentity peer, boolean forward, long windowStart) {}

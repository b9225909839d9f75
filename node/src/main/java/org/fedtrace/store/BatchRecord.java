package org.fedtrace.store;

import org.fedtrace.crypto.Digest;

/**
 * A stored batch without its keys: what the sunset erasure records of each batch it removes.
 *
 * @param contentSha256 SHA-256 of the batch's canonical encoding as received (§5.6)
 */
public record BatchRecord(String origin, Digest contentSha256, int keyCount) {}

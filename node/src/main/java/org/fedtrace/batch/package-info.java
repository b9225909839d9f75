/**
 * Diagnosis key batches: the canonical byte encoding that signatures cover (spec/protocol.md
 * section 5), signing, and verification.
 */
package org.fedtrace.batch;

package org.fedtrace.node.exchange;

import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.NewBatch;

/**
 * Decides whether a batch may enter the store ({@link BatchAdmission} by spec §8.1): the one
 * decision every batch from a peer passes, whether pushed, pulled or forwarded.
 */
@FunctionalInterface
public interface Admission {
  /**
   * Checks {@code batch} and returns the record to store.
   *
   * @param payload the batch as serialized on the wire (stored and served unchanged, R8.25)
   * @param receivedFrom the peer that delivered it
   * @throws org.fedtrace.rules.RuleViolation for the first rule the batch breaks
   */
  NewBatch admit(DiagnosisKeyBatch batch, byte[] payload, OperatorIdentity receivedFrom);
}

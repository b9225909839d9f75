package org.fedtrace.node.exchange;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.tlog.TransparencyLog;

/**
 * What a witness sees of a log, served straight from a {@link TransparencyLog} as its services
 * would: its latest checkpoint with its cosigned ones, consistency proofs, and the cosignatures
 * handed to it, which it keeps as it collects them.
 */
final class ServedLog implements Witness.Log {
  private final TransparencyLog log;
  private final int witnesses;
  final List<AddCosignatureRequest> added = new ArrayList<>();

  ServedLog(TransparencyLog log, int witnesses) {
    this.log = log;
    this.witnesses = witnesses;
  }

  @Override
  public GetCheckpointResponse checkpoint() {
    return GetCheckpointResponse.newBuilder()
        .addAllCosigned(log.cosigned().current(witnesses))
        .setCheckpoint(log.checkpoint())
        .build();
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    return log.consistencyProof(first, second);
  }

  @Override
  public void addCosignature(AddCosignatureRequest request) {
    added.add(request);
    log.cosigned().add(request.getCheckpoint(), request.getCosignature());
  }
}

package org.fedtrace.audit;

import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.tlog.TransparencyLog;

/** An auditor's client that calls a {@link TransparencyLog} directly, as its service would. */
class DirectLogClient implements LogClient {
  private final TransparencyLog log;

  DirectLogClient(TransparencyLog log) {
    this.log = log;
  }

  @Override
  public Checkpoint checkpoint() {
    return log.checkpoint();
  }

  @Override
  public GetCheckpointResponse witnessed() {
    return GetCheckpointResponse.newBuilder()
        .setCheckpoint(log.checkpoint())
        .addAllCosigned(log.cosigned().current(0))
        .build();
  }

  @Override
  public List<LogEntry> entries(long start, long end) {
    List<LogEntry> out = new ArrayList<>();
    while (start + out.size() < end) {
      out.addAll(log.entries(start + out.size(), end));
    }
    return out;
  }

  @Override
  public List<byte[]> inclusionProof(long index, long size) {
    return log.inclusionProof(index, size);
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    return log.consistencyProof(first, second);
  }
}

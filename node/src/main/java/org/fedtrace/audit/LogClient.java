package org.fedtrace.audit;

import java.util.List;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.LogEntry;

/** One node's TransparencyLog service. Failures are unchecked (gRPC status exceptions). */
public interface LogClient {
  /** The latest checkpoint. */
  Checkpoint checkpoint();

  /**
   * The whole GetCheckpoint answer: the latest checkpoint and the checkpoints the log's witnesses
   * cosigned, with their cosignatures (spec/transparency.md §15.3).
   */
  GetCheckpointResponse witnessed();

  /** Entries {@code [start, end)}, all of them, in order. */
  List<LogEntry> entries(long start, long end);

  /** The audit path of leaf {@code index} in the tree of {@code size} leaves. */
  List<byte[]> inclusionProof(long index, long size);

  /** The consistency proof from {@code first} to {@code second} leaves. */
  List<byte[]> consistencyProof(long first, long second);
}

package org.fedtrace.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.List;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetConsistencyProofResponse;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetEntriesResponse;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetInclusionProofResponse;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.tlog.CosignedCheckpoints;
import org.fedtrace.tlog.TransparencyLog;

/**
 * The {@code fedtrace.v1.TransparencyLog} service (spec/transparency.md section 6): checkpoints,
 * entries and proofs of the node's log, for any member and past the sunset. Requests name tree
 * sizes up to the latest signed checkpoint; sizes are unsigned 64-bit on the wire.
 */
public final class TransparencyLogService extends TransparencyLogGrpc.TransparencyLogImplBase {
  private final TransparencyLog log;
  private final CosignedCheckpoints cosigned;
  private final int witnesses;

  /**
   * Serves {@code log} with the checkpoints its witnesses cosigned.
   *
   * @param witnesses how many witnesses the log has: the agreement's other members
   */
  public TransparencyLogService(TransparencyLog log, int witnesses) {
    this.log = log;
    this.cosigned = log.cosigned();
    this.witnesses = witnesses;
  }

  @Override
  public void getCheckpoint(
      GetCheckpointRequest request, StreamObserver<GetCheckpointResponse> observer) {
    Checkpoint latest = log.checkpoint();
    List<CosignedCheckpoint> witnessed = cosigned.current(latest, witnesses);
    Replies.send(
        observer,
        GetCheckpointResponse.newBuilder().setCheckpoint(latest).addAllCosigned(witnessed).build());
  }

  @Override
  public void getEntries(GetEntriesRequest request, StreamObserver<GetEntriesResponse> observer) {
    Replies.send(observer, getEntriesResponse(request));
  }

  private GetEntriesResponse getEntriesResponse(GetEntriesRequest request) {
    long start = request.getStart();
    long end = request.getEnd();
    if (Long.compareUnsigned(end, start) <= 0) {
      throw RuleViolation.field(Rule.ENTRIES_RANGE_EMPTY, "end", "must be greater than start");
    }
    long size = log.checkpointSize();
    if (Long.compareUnsigned(end, size) > 0) {
      throw RuleViolation.field(
          Rule.ENTRIES_BEYOND_CHECKPOINT,
          "end",
          "must be at most " + size + ", the latest checkpoint's size (GetCheckpoint first)");
    }
    return GetEntriesResponse.newBuilder().addAllEntries(log.entries(start, end)).build();
  }

  @Override
  public void getInclusionProof(
      GetInclusionProofRequest request, StreamObserver<GetInclusionProofResponse> observer) {
    Replies.send(observer, getInclusionProofResponse(request));
  }

  private GetInclusionProofResponse getInclusionProofResponse(GetInclusionProofRequest request) {
    long index = request.getLeafIndex();
    long treeSize = request.getTreeSize();
    long size = log.checkpointSize();
    if (treeSize == 0 || Long.compareUnsigned(treeSize, size) > 0) {
      throw RuleViolation.field(
          Rule.INCLUSION_TREE_SIZE,
          "tree_size",
          "must be 1.." + size + ", the latest checkpoint's size (GetCheckpoint first)");
    }
    if (Long.compareUnsigned(index, treeSize) >= 0) {
      throw RuleViolation.field(
          Rule.INCLUSION_LEAF_INDEX, "leaf_index", "must be less than tree_size");
    }
    return GetInclusionProofResponse.newBuilder()
        .setLeafIndex(index)
        .setTreeSize(treeSize)
        .addAllAuditPath(bytes(log.inclusionProof(index, treeSize)))
        .build();
  }

  @Override
  public void getConsistencyProof(
      GetConsistencyProofRequest request, StreamObserver<GetConsistencyProofResponse> observer) {
    Replies.send(observer, getConsistencyProofResponse(request));
  }

  private GetConsistencyProofResponse getConsistencyProofResponse(
      GetConsistencyProofRequest request) {
    long first = request.getFirstTreeSize();
    long second = request.getSecondTreeSize();
    if (first == 0) {
      throw RuleViolation.field(
          Rule.CONSISTENCY_FIRST_ZERO, "first_tree_size", "must be at least 1");
    }
    if (Long.compareUnsigned(first, second) > 0) {
      throw RuleViolation.field(
          Rule.CONSISTENCY_ORDER, "first_tree_size", "must be at most second_tree_size");
    }
    long size = log.checkpointSize();
    if (Long.compareUnsigned(second, size) > 0) {
      throw RuleViolation.field(
          Rule.CONSISTENCY_BEYOND_CHECKPOINT,
          "second_tree_size",
          "must be at most " + size + ", the latest checkpoint's size (GetCheckpoint first)");
    }
    return GetConsistencyProofResponse.newBuilder()
        .addAllProof(bytes(log.consistencyProof(first, second)))
        .build();
  }

  static List<ByteString> bytes(List<byte[]> hashes) {
    return hashes.stream().map(ByteString::copyFrom).toList();
  }
}

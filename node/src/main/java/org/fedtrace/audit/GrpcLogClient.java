package org.fedtrace.audit;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetInclusionProofResponse;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.TransparencyLogGrpc;

/**
 * An {@link LogClient} over a gRPC channel (mutual TLS, built by the caller), with a deadline on
 * every call (R6.10). Fetches long entry ranges page by page.
 */
public final class GrpcLogClient implements LogClient {
  private final Channel channel;
  private final Duration deadline;

  /** A client on {@code channel} giving each call {@code deadline}. */
  public GrpcLogClient(Channel channel, Duration deadline) {
    this.channel = channel;
    this.deadline = deadline;
  }

  private TransparencyLogGrpc.TransparencyLogBlockingStub stub() {
    return TransparencyLogGrpc.newBlockingStub(channel)
        .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public Checkpoint checkpoint() {
    return stub().getCheckpoint(GetCheckpointRequest.getDefaultInstance()).getCheckpoint();
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if a page is empty or does not continue where the last ended
   */
  @Override
  public List<LogEntry> entries(long start, long end) {
    List<LogEntry> out = new ArrayList<>();
    long next = start;
    while (next < end) {
      List<LogEntry> page =
          stub()
              .getEntries(GetEntriesRequest.newBuilder().setStart(next).setEnd(end).build())
              .getEntriesList();
      if (page.isEmpty() || page.size() > end - next) {
        throw new IllegalStateException(
            "GetEntries(" + next + ", " + end + ") answered " + page.size() + " entries");
      }
      out.addAll(page);
      next += page.size();
    }
    return out;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException if the answer names another leaf or tree size
   */
  @Override
  public List<byte[]> inclusionProof(long index, long size) {
    GetInclusionProofResponse r =
        stub()
            .getInclusionProof(
                GetInclusionProofRequest.newBuilder()
                    .setLeafIndex(index)
                    .setTreeSize(size)
                    .build());
    if (r.getLeafIndex() != index || r.getTreeSize() != size) {
      throw new IllegalStateException(
          "GetInclusionProof("
              + index
              + ", "
              + size
              + ") answered for leaf "
              + r.getLeafIndex()
              + " of "
              + r.getTreeSize());
    }
    return r.getAuditPathList().stream().map(ByteString::toByteArray).toList();
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    return stub()
        .getConsistencyProof(
            GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(first)
                .setSecondTreeSize(second)
                .build())
        .getProofList()
        .stream()
        .map(ByteString::toByteArray)
        .toList();
  }
}

package org.fedtrace.audit;

import com.google.protobuf.Any;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.RetryInfo;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
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
  /** How often one call waits out the rate limit before its RESOURCE_EXHAUSTED is final. */
  static final int RATE_LIMIT_RETRIES = 30;

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

  /**
   * Runs {@code call}, waiting out the node's rate limit (R6.16): a RESOURCE_EXHAUSTED is retried
   * after the delay its RetryInfo names (R20.7; a second without one), up to {@link
   * #RATE_LIMIT_RETRIES} times, so that an audit of a long log paces itself instead of failing.
   */
  private static <T> T paced(Supplier<T> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.get();
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED
            || attempt >= RATE_LIMIT_RETRIES) {
          throw e;
        }
        sleep(retryDelay(e));
      }
    }
  }

  private static Duration retryDelay(StatusRuntimeException e) {
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details != null) {
      for (Any d : details.getDetailsList()) {
        if (d.is(RetryInfo.class)) {
          try {
            com.google.protobuf.Duration delay = d.unpack(RetryInfo.class).getRetryDelay();
            return Duration.ofSeconds(delay.getSeconds(), delay.getNanos());
          } catch (InvalidProtocolBufferException ignored) {
            break;
          }
        }
      }
    }
    return Duration.ofSeconds(1);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, Math.min(d.toMillis(), 10_000)));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting out a rate limit", ie);
    }
  }

  @Override
  public Checkpoint checkpoint() {
    return witnessed().getCheckpoint();
  }

  @Override
  public GetCheckpointResponse witnessed() {
    return paced(() -> stub().getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
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
      GetEntriesRequest request = GetEntriesRequest.newBuilder().setStart(next).setEnd(end).build();
      List<LogEntry> page = paced(() -> stub().getEntries(request)).getEntriesList();
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
    GetInclusionProofRequest request =
        GetInclusionProofRequest.newBuilder().setLeafIndex(index).setTreeSize(size).build();
    GetInclusionProofResponse r = paced(() -> stub().getInclusionProof(request));
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
    GetConsistencyProofRequest request =
        GetConsistencyProofRequest.newBuilder()
            .setFirstTreeSize(first)
            .setSecondTreeSize(second)
            .build();
    return paced(() -> stub().getConsistencyProof(request)).getProofList().stream()
        .map(ByteString::toByteArray)
        .toList();
  }
}

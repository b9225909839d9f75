package org.fedtrace.bench;

import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * The origin's batches of an {@link OperatorWorkload}, pushed to the node in the workload's order:
 * which batch is next, and the push itself. Every batch before the next one has been pushed.
 */
final class BatchFeed {
  private final OperatorWorkload workload;

  /** The next batch to push. */
  private int next;

  BatchFeed(OperatorWorkload workload) {
    this.workload = workload;
  }

  /** The id of the next batch to push; also how many were pushed. */
  int next() {
    return next;
  }

  /**
   * Pushes the next {@code count} batches from the origin on {@code peer}, two calls in flight, and
   * returns their ids after every answer.
   */
  List<Integer> pushNext(ManagedChannel peer, int count) throws InterruptedException {
    List<Integer> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(next + i);
    }
    List<byte[]> requests = ids.stream().map(i -> workload.batches().get(i).request()).toList();
    Calls.send(
        peer, requests, 2, RawRequests::publish, (PublishBatchResponse r) -> !r.getDuplicate());
    next += count;
    return ids;
  }
}

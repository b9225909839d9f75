package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;

/** One SubscribeBatches stream, read message by message with a timeout; closing cancels it. */
final class Subscriber implements AutoCloseable {
  /**
   * A message of the stream, or its end.
   *
   * @param message the message, or null when the stream ended
   * @param end the status the stream ended with, or null for a message
   * @param trailers the trailers of the end, or null
   */
  record Item(SubscribeBatchesResponse message, Status end, Metadata trailers) {
    /** The end as the exception a blocking call would have thrown (details included). */
    StatusRuntimeException failure() {
      return end.asRuntimeException(trailers);
    }
  }

  private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
  private volatile ClientCallStreamObserver<SubscribeBatchesRequest> call;

  private Subscriber() {}

  /** Subscribes as {@code caller} from {@code cursor}, with a deadline of {@code seconds}. */
  static Subscriber open(Session s, Credential caller, ByteString cursor, long seconds) {
    return open(s, caller, SubscribeBatchesRequest.newBuilder().setCursor(cursor).build(), seconds);
  }

  /** Subscribes as {@code caller} with {@code request}, with a deadline of {@code seconds}. */
  static Subscriber open(
      Session s, Credential caller, SubscribeBatchesRequest request, long seconds) {
    Subscriber sub = new Subscriber();
    s.federationAsync(caller, seconds).subscribeBatches(request, sub.observer());
    return sub;
  }

  private ClientResponseObserver<SubscribeBatchesRequest, SubscribeBatchesResponse> observer() {
    return new ClientResponseObserver<>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<SubscribeBatchesRequest> requestStream) {
        call = requestStream;
      }

      @Override
      public void onNext(SubscribeBatchesResponse value) {
        items.add(new Item(value, null, null));
      }

      @Override
      public void onError(Throwable t) {
        items.add(new Item(null, Status.fromThrowable(t), Status.trailersFromThrowable(t)));
      }

      @Override
      public void onCompleted() {
        items.add(new Item(null, Status.OK, null));
      }
    };
  }

  /** The next message or end, or null when none came within {@code timeout}. */
  Item next(Duration timeout) throws InterruptedException {
    return items.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  @Override
  public void close() {
    if (call != null) {
      call.cancel("the conformance case is done", null);
    }
  }
}

package org.fedtrace.node.rpc;

import io.grpc.stub.StreamObserver;

/** How a unary handler answers: one response, then completion. Failures are thrown instead. */
final class Replies {
  private Replies() {}

  /** Sends {@code response} and completes the call. */
  static <T> void send(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }
}

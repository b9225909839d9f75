package org.fedtrace.node;

import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.transport.Caller;

/**
 * Runs the unary calls of the log and notice services: the caller's identity (set by the node's
 * identity interceptor), the draining check (R21.2; the log stays readable past the sunset, so
 * R21.6 does not apply), then the handler, through the node's {@link Unary}.
 */
final class LogCalls {
  private final BooleanSupplier draining;
  private final NodeMetrics metrics;

  LogCalls(BooleanSupplier draining, NodeMetrics metrics) {
    this.draining = draining;
    this.metrics = metrics;
  }

  <T> void run(String method, StreamObserver<T> observer, Supplier<T> handler) {
    Unary.run(
        method,
        metrics,
        observer,
        () -> {
          Caller.current();
          if (draining.getAsBoolean()) {
            throw new RuleViolation(Rule.DRAINING, "the node is shutting down; retry with backoff");
          }
          return handler.get();
        });
  }
}

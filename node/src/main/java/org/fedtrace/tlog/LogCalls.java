package org.fedtrace.tlog;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.fedtrace.node.NodeMetrics;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.fedtrace.store.StoreException;
import org.fedtrace.transport.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the unary calls of the log and notice services: the caller's identity (set by the node's
 * identity interceptor), the draining check (R21.2; the log stays readable past the sunset, so
 * R21.6 does not apply), then the handler; maps its failure to the one status the spec names, and a
 * defect to INTERNAL, never UNKNOWN.
 */
final class LogCalls {
  private static final Logger LOG = LoggerFactory.getLogger(LogCalls.class);

  private final BooleanSupplier draining;
  private final NodeMetrics metrics;

  LogCalls(BooleanSupplier draining, NodeMetrics metrics) {
    this.draining = draining;
    this.metrics = metrics;
  }

  <T> void run(String method, StreamObserver<T> observer, Supplier<T> handler) {
    long start = System.nanoTime();
    Status.Code code = Status.Code.OK;
    try {
      Caller.current();
      if (draining.getAsBoolean()) {
        throw new RuleViolation(Rule.DRAINING, "the node is shutting down; retry with backoff");
      }
      T response = handler.get();
      observer.onNext(response);
      observer.onCompleted();
    } catch (RuleViolation v) {
      code = v.rule().code();
      observer.onError(Statuses.toStatus(v));
    } catch (LogStorageException | StoreException e) {
      LOG.error("event=log_store_failure method={} error=\"{}\"", method, e.getMessage(), e);
      RuleViolation v =
          new RuleViolation(Rule.COMMIT_FAILED, "the node's log store failed; retry later");
      code = v.rule().code();
      observer.onError(Statuses.toStatus(v));
    } catch (LogIntegrityException e) {
      LOG.error("event=log_integrity_failure method={} error=\"{}\"", method, e.getMessage());
      code = Status.Code.INTERNAL;
      observer.onError(
          Status.INTERNAL
              .withDescription("the node's log failed its integrity check")
              .asException());
    } catch (RuntimeException e) {
      LOG.error("event=log_call_failed method={} error=\"{}\"", method, e.getMessage(), e);
      code = Status.Code.INTERNAL;
      observer.onError(Status.INTERNAL.withDescription("the node failed").asException());
    } finally {
      metrics.rpc(method, code.name(), (System.nanoTime() - start) / 1e9);
    }
  }
}

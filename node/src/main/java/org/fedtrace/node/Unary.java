package org.fedtrace.node;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.fedtrace.store.StoreException;
import org.fedtrace.tlog.LogIntegrityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unary handler: one response, or the one status its failure maps to (a store failure
 * UNAVAILABLE by R21.5, a defect INTERNAL, never UNKNOWN), timed. Every service of the node uses
 * it.
 */
public final class Unary {
  private static final Logger LOG = LoggerFactory.getLogger(Unary.class);

  private Unary() {}

  /** Runs {@code handler} as RPC {@code method} and answers {@code observer}. */
  public static <T> void run(
      String method, NodeMetrics metrics, StreamObserver<T> observer, Supplier<T> handler) {
    long start = System.nanoTime();
    Status.Code code = Status.Code.OK;
    try {
      T response = handler.get();
      observer.onNext(response);
      observer.onCompleted();
    } catch (RuleViolation v) {
      code = v.rule().code();
      observer.onError(Statuses.toStatus(v));
    } catch (StatusRuntimeException e) {
      code = e.getStatus().getCode();
      observer.onError(e);
    } catch (LogIntegrityException e) {
      code = Status.Code.INTERNAL;
      LOG.error("event=log_integrity_failure method={} error=\"{}\"", method, e.getMessage(), e);
      observer.onError(
          Status.INTERNAL
              .withDescription("the node's log failed its integrity check")
              .asException());
    } catch (StoreException e) {
      LOG.error("event=store_failure method={} error=\"{}\"", method, e.getMessage(), e);
      RuleViolation v =
          new RuleViolation(Rule.COMMIT_FAILED, "the node's store failed; retry later");
      code = v.rule().code();
      observer.onError(Statuses.toStatus(v));
    } catch (RuntimeException e) {
      LOG.error("event=call_failed method={} error=\"{}\"", method, e.getMessage(), e);
      code = Status.Code.INTERNAL;
      observer.onError(Status.INTERNAL.withDescription("the node failed").asException());
    } finally {
      metrics.rpc(method, code.name(), (System.nanoTime() - start) / 1e9);
    }
  }
}

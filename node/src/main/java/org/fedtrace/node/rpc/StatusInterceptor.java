package org.fedtrace.node.rpc;

import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.fedtrace.store.StoreException;
import org.fedtrace.tlog.LogIntegrityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns what a handler throws into the call's status (STYLE 7, as grpc-java's
 * {@code TransmitStatusRuntimeExceptionInterceptor} does for status exceptions): a rule violation
 * into its rule's code with its field violations, a store failure into UNAVAILABLE (R21.5, retry
 * later), a damaged log or any other failure into INTERNAL with a short message and no internals,
 * so that no exception a handler throws reaches gRPC as UNKNOWN. Handlers and the interceptors
 * inside this one just throw.
 */
final class StatusInterceptor implements ServerInterceptor {
  private static final Logger LOG = LoggerFactory.getLogger(StatusInterceptor.class);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OnceClosed<Q, R> guarded = new OnceClosed<>(call);
    ServerCall.Listener<Q> listener;
    try {
      listener = next.startCall(guarded, headers);
    } catch (RuntimeException e) {
      guarded.fail(e);
      return new ServerCall.Listener<>() {};
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        try {
          super.onMessage(message);
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onHalfClose() {
        try {
          super.onHalfClose();
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }

      @Override
      public void onReady() {
        try {
          super.onReady();
        } catch (RuntimeException e) {
          guarded.fail(e);
        }
      }
    };
  }

  /** The call, closed at most once whoever closes it. */
  private static final class OnceClosed<Q, R>
      extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
    private boolean closed;

    OnceClosed(ServerCall<Q, R> call) {
      super(call);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      if (!closed) {
        closed = true;
        super.close(status, trailers);
      }
    }

    /** Closes the call with the status {@code failure} maps to, unless it is closed already. */
    void fail(RuntimeException failure) {
      String method = getMethodDescriptor().getBareMethodName();
      if (failure instanceof RuleViolation v) {
        StatusRuntimeException s = Statuses.toStatus(v);
        close(s.getStatus(), trailers(s));
      } else if (failure instanceof StatusRuntimeException s) {
        close(s.getStatus(), trailers(s));
      } else if (failure instanceof StoreException) {
        LOG.error(
            "event=store_failure method={} error=\"{}\"", method, failure.getMessage(), failure);
        RuleViolation v =
            new RuleViolation(Rule.COMMIT_FAILED, "the node's store failed; retry later");
        StatusRuntimeException s = Statuses.toStatus(v);
        close(s.getStatus(), trailers(s));
      } else if (failure instanceof LogIntegrityException) {
        LOG.error(
            "event=log_integrity_failure method={} error=\"{}\"",
            method,
            failure.getMessage(),
            failure);
        close(
            Status.INTERNAL.withDescription("the node's log failed its integrity check"),
            new Metadata());
      } else {
        LOG.error(
            "event=call_failed method={} error=\"{}\"", method, failure.getMessage(), failure);
        close(Status.INTERNAL.withDescription("the node failed"), new Metadata());
      }
    }

    private static Metadata trailers(StatusRuntimeException s) {
      return s.getTrailers() == null ? new Metadata() : s.getTrailers();
    }
  }
}

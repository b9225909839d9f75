package org.fedtrace.node.rpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Attributes;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;

/**
 * Makes a service answer INVALID_ARGUMENT, as the spec's status table (§20.1) says, when a
 * request's bytes are not a valid message. gRPC closes a call whose request fails to parse with
 * UNKNOWN ("Application error processing RPC"), which tells a client neither what was wrong nor
 * that a retry cannot help. Here the request marshaller never throws: it hands the handler either
 * the message or the parse error, and a call with a parse error is closed before the service sees
 * it.
 */
final class WellFormedRequests {
  /** The refusal of a request whose bytes do not parse (R20.10), with its one field violation. */
  static final RuleViolation REFUSAL =
      RuleViolation.field(
          Rule.UNDECODABLE_REQUEST, "", "the request is not a valid fedtrace.v1 message");

  private WellFormedRequests() {}

  /** {@code service} with every method's requests checked; handlers stay as they are. */
  static ServerServiceDefinition of(ServerServiceDefinition service) {
    ServiceDescriptor old = service.getServiceDescriptor();
    List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      methods.add(wrap(m));
    }
    ServiceDescriptor.Builder descriptor =
        ServiceDescriptor.newBuilder(old.getName()).setSchemaDescriptor(old.getSchemaDescriptor());
    methods.forEach(m -> descriptor.addMethod(m.getMethodDescriptor()));
    ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(out::addMethod);
    return out.build();
  }

  private static <Q, R> ServerMethodDefinition<Parsed<Q>, R> wrap(ServerMethodDefinition<Q, R> m) {
    MethodDescriptor<Q, R> method = m.getMethodDescriptor();
    MethodDescriptor<Parsed<Q>, R> checked =
        method.toBuilder(
                new Checked<>(method.getRequestMarshaller()), method.getResponseMarshaller())
            .build();
    return ServerMethodDefinition.create(checked, new Handler<>(method, m.getServerCallHandler()));
  }

  /** A request as parsed: the message, or the refusal its bytes earned. */
  record Parsed<T>(T message, RuleViolation refusal) {}

  /** Parses with the method's own marshaller and keeps a parse error instead of throwing it. */
  static final class Checked<T> implements MethodDescriptor.Marshaller<Parsed<T>> {
    private final MethodDescriptor.Marshaller<T> delegate;

    Checked(MethodDescriptor.Marshaller<T> delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputStream stream(Parsed<T> value) {
      return delegate.stream(value.message());
    }

    @Override
    public Parsed<T> parse(InputStream stream) {
      try {
        return new Parsed<>(delegate.parse(stream), null);
      } catch (StatusRuntimeException e) {
        Status s = e.getStatus();
        boolean malformed =
            s.getCode() == Status.Code.INVALID_ARGUMENT
                || s.getCode() == Status.Code.INTERNAL
                    && s.getCause() instanceof InvalidProtocolBufferException;
        if (!malformed) {
          throw e;
        }
        return new Parsed<>(null, REFUSAL);
      }
    }
  }

  /** Runs the method's own handler, closing a call whose request did not parse. */
  private static final class Handler<Q, R> implements ServerCallHandler<Parsed<Q>, R> {
    private final MethodDescriptor<Q, R> method;
    private final ServerCallHandler<Q, R> handler;

    Handler(MethodDescriptor<Q, R> method, ServerCallHandler<Q, R> handler) {
      this.method = method;
      this.handler = handler;
    }

    @Override
    public ServerCall.Listener<Parsed<Q>> startCall(
        ServerCall<Parsed<Q>, R> call, Metadata headers) {
      Call<Q, R> adapted = new Call<>(call, method);
      ServerCall.Listener<Q> inner = handler.startCall(adapted, headers);
      return new ServerCall.Listener<>() {
        private boolean refused;

        @Override
        public void onMessage(Parsed<Q> request) {
          if (refused) {
            return;
          }
          if (request.refusal() != null) {
            refused = true;
            adapted.closeOnce(request.refusal());
            return;
          }
          inner.onMessage(request.message());
        }

        @Override
        public void onHalfClose() {
          if (!refused) {
            inner.onHalfClose();
          }
        }

        @Override
        public void onCancel() {
          inner.onCancel();
        }

        @Override
        public void onComplete() {
          inner.onComplete();
        }

        @Override
        public void onReady() {
          if (!refused) {
            inner.onReady();
          }
        }
      };
    }
  }

  /** The call as the method's handler sees it: its own request type, every call forwarded. */
  private static final class Call<Q, R> extends ServerCall<Q, R> {
    private final ServerCall<Parsed<Q>, R> call;
    private final MethodDescriptor<Q, R> method;
    private boolean closed;

    Call(ServerCall<Parsed<Q>, R> call, MethodDescriptor<Q, R> method) {
      this.call = call;
      this.method = method;
    }

    /** Closes with {@code refusal} unless the handler already closed the call. */
    synchronized void closeOnce(RuleViolation refusal) {
      if (!closed) {
        closed = true;
        call.close(Statuses.toStatus(refusal).getStatus(), Statuses.trailers(refusal));
      }
    }

    @Override
    public void request(int numMessages) {
      call.request(numMessages);
    }

    @Override
    public void sendHeaders(Metadata headers) {
      call.sendHeaders(headers);
    }

    @Override
    public void sendMessage(R message) {
      call.sendMessage(message);
    }

    @Override
    public synchronized void close(Status status, Metadata trailers) {
      closed = true;
      call.close(status, trailers);
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    @Override
    public boolean isCancelled() {
      return call.isCancelled();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
      call.setMessageCompression(enabled);
    }

    @Override
    public void setCompression(String compressor) {
      call.setCompression(compressor);
    }

    @Override
    public void setOnReadyThreshold(int numBytes) {
      call.setOnReadyThreshold(numBytes);
    }

    @Override
    public SecurityLevel getSecurityLevel() {
      return call.getSecurityLevel();
    }

    @Override
    public Attributes getAttributes() {
      return call.getAttributes();
    }

    @Override
    public String getAuthority() {
      return call.getAuthority();
    }

    @Override
    public MethodDescriptor<Q, R> getMethodDescriptor() {
      return method;
    }
  }
}

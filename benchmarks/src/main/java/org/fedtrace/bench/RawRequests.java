package org.fedtrace.bench;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * PublishBatch and DepositObservations calls whose request is already serialized: the client sends
 * stored bytes, as an origin, a forwarding node or an operator's backend would, so the benchmark
 * measures the receiver rather than the client's encoder.
 */
final class RawRequests {
  static final MethodDescriptor<byte[], PublishBatchResponse> PUBLISH =
      FederationGrpc.getPublishBatchMethod().toBuilder(
              new Bytes(), ProtoUtils.marshaller(PublishBatchResponse.getDefaultInstance()))
          .build();

  static final MethodDescriptor<byte[], DepositObservationsResponse> DEPOSIT =
      OperatorMatchingGrpc.getDepositObservationsMethod().toBuilder(
              new Bytes(), ProtoUtils.marshaller(DepositObservationsResponse.getDefaultInstance()))
          .build();

  private RawRequests() {}

  /** Sends one serialized PublishBatchRequest with a 60-second deadline (spec §6.2). */
  static void publish(Channel channel, byte[] request, StreamObserver<PublishBatchResponse> out) {
    send(channel, PUBLISH, request, out);
  }

  /** Sends one serialized DepositObservationsRequest with a 60-second deadline. */
  static void deposit(
      Channel channel, byte[] request, StreamObserver<DepositObservationsResponse> out) {
    send(channel, DEPOSIT, request, out);
  }

  private static <R> void send(
      Channel channel, MethodDescriptor<byte[], R> method, byte[] request, StreamObserver<R> out) {
    ClientCalls.asyncUnaryCall(
        channel.newCall(method, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
        request,
        out);
  }

  /** Passes bytes through unchanged. */
  static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new Stream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** A byte array stream whose length gRPC can see and which it can drain without copying. */
  private static final class Stream extends ByteArrayInputStream implements KnownLength, Drainable {
    Stream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      int n = count - pos;
      target.write(buf, pos, n);
      pos = count;
      return n;
    }
  }
}

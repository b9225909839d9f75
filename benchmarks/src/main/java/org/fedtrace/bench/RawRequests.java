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
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * PublishBatch calls whose request is already serialized: the client sends stored bytes, as an
 * origin or a forwarding node would, so the benchmark measures the receiver rather than the
 * client's encoder.
 */
final class RawRequests {
  static final MethodDescriptor<byte[], PublishBatchResponse> PUBLISH =
      FederationGrpc.getPublishBatchMethod().toBuilder(
              new Bytes(), ProtoUtils.marshaller(PublishBatchResponse.getDefaultInstance()))
          .build();

  private RawRequests() {}

  /** Sends one serialized PublishBatchRequest with a 60-second deadline (spec §6.2). */
  static void publish(Channel channel, byte[] request, StreamObserver<PublishBatchResponse> out) {
    ClientCalls.asyncUnaryCall(
        channel.newCall(PUBLISH, CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS)),
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

package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every RPC of every service the node offers answers INVALID_ARGUMENT by R20.10, with a BadRequest
 * (R20.3), when the request bytes are not a protobuf message: a length-delimited field 1 that
 * claims five bytes and carries none. Left to gRPC, the call would end UNKNOWN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MalformedRequestsTest {
  private static final byte[] TRUNCATED = {0x0a, 0x05};

  private TestFederation f;
  private ManagedChannel channel;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    f =
        TestFederation.create(dir, Clock.systemUTC(), "DE")
            .withConfig("matching:\n  mode: operator\n");
    f.startNode("DE");
    channel = f.channel("DE", f.credentials("DE").tls());
  }

  @AfterAll
  void stop() throws InterruptedException {
    f.close();
  }

  @TestFactory
  Stream<DynamicTest> everyMethodRefusesBytesThatDoNotParse() {
    List<DynamicTest> tests = new ArrayList<>();
    for (ServiceDescriptor service :
        List.of(
            FederationGrpc.getServiceDescriptor(),
            UploadGrpc.getServiceDescriptor(),
            TransparencyLogGrpc.getServiceDescriptor(),
            NoticeGrpc.getServiceDescriptor(),
            OperatorMatchingGrpc.getServiceDescriptor())) {
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        tests.add(DynamicTest.dynamicTest(m.getFullMethodName(), () -> refused(m)));
      }
    }
    assertEquals(13, tests.size(), "every RPC of the five services");
    return tests.stream();
  }

  private void refused(MethodDescriptor<?, ?> m) {
    MethodDescriptor<byte[], byte[]> raw =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(m.getType())
            .setFullMethodName(m.getFullMethodName())
            .setRequestMarshaller(new Bytes())
            .setResponseMarshaller(new Bytes())
            .build();
    CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
    StatusRuntimeException e =
        assertThrows(
            StatusRuntimeException.class,
            () -> {
              if (m.getType() == MethodDescriptor.MethodType.UNARY) {
                ClientCalls.blockingUnaryCall(channel, raw, options, TRUNCATED);
              } else {
                Iterator<byte[]> it =
                    ClientCalls.blockingServerStreamingCall(channel, raw, options, TRUNCATED);
                while (it.hasNext()) {
                  it.next();
                }
              }
            });
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.toString());
    assertEquals(
        "R20.10: the request is not a valid fedtrace.v1 message", e.getStatus().getDescription());
    com.google.rpc.Status details = io.grpc.protobuf.StatusProto.fromThrowable(e);
    try {
      com.google.rpc.BadRequest bad = details.getDetails(0).unpack(com.google.rpc.BadRequest.class);
      assertEquals(1, bad.getFieldViolationsCount(), "R20.3: one violation");
      assertEquals("", bad.getFieldViolations(0).getField());
      assertEquals(
          "R20.10: the request is not a valid fedtrace.v1 message",
          bad.getFieldViolations(0).getDescription());
    } catch (com.google.protobuf.InvalidProtocolBufferException x) {
      throw new AssertionError(x);
    }
  }

  private static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}

package org.fedtrace.node.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.WireFormat;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.rules.Rule;
import org.fedtrace.store.StoredBatch;

/**
 * The Federation messages that carry batches, on the wire, so that a batch's bytes are neither
 * re-encoded when it is stored nor parsed when it is served.
 *
 * <p>An embedded message travels exactly like a bytes field holding its encoding (tag, length,
 * bytes). So a received PublishBatchRequest or SubscribeBatchesResponse is parsed as usual and also
 * yields the bytes its batch arrived in, which the node stores (R8.25: every field value
 * unchanged); and the responses of PullBatches, SubscribeBatches and GetBatch are written around
 * stored bytes, which costs a copy instead of a parse and a re-encoding of every key. The bytes
 * written are those the generated classes write for the same response (fields in number order,
 * default values left out); tests compare them.
 */
public final class BatchWire {
  /** A response message, already encoded. */
  public record Encoded(byte[] bytes) {}

  /**
   * A parsed message and the bytes of its batch field as received.
   *
   * @param batchBytes the encoding of the batch as it arrived, or the message's own re-encoding of
   *     it when the batch field did not arrive as one field (possible in protobuf, never done by
   *     the generated encoders)
   */
  public record Received<M>(M message, byte[] batchBytes) {}

  public static final MethodDescriptor<Received<PublishBatchRequest>, PublishBatchResponse>
      PUBLISH_BATCH =
          FederationGrpc.getPublishBatchMethod().toBuilder(
                  new ReceivedMarshaller<>(
                      PublishBatchRequest::parseFrom, r -> r.getBatch().toByteArray()),
                  ProtoUtils.marshaller(PublishBatchResponse.getDefaultInstance()))
              .build();

  /** SubscribeBatches as a client sees it, keeping each batch's bytes. */
  public static final MethodDescriptor<SubscribeBatchesRequest, Received<SubscribeBatchesResponse>>
      SUBSCRIBE_BATCHES_RECEIVED =
          FederationGrpc.getSubscribeBatchesMethod().toBuilder(
                  ProtoUtils.marshaller(SubscribeBatchesRequest.getDefaultInstance()),
                  new ReceivedMarshaller<>(
                      SubscribeBatchesResponse::parseFrom, r -> r.getBatch().toByteArray()))
              .build();

  public static final MethodDescriptor<PullBatchesRequest, Encoded> PULL_BATCHES =
      FederationGrpc.getPullBatchesMethod().toBuilder(
              ProtoUtils.marshaller(PullBatchesRequest.getDefaultInstance()), new Marshaller())
          .build();

  public static final MethodDescriptor<SubscribeBatchesRequest, Encoded> SUBSCRIBE_BATCHES =
      FederationGrpc.getSubscribeBatchesMethod().toBuilder(
              ProtoUtils.marshaller(SubscribeBatchesRequest.getDefaultInstance()), new Marshaller())
          .build();

  public static final MethodDescriptor<GetBatchRequest, Encoded> GET_BATCH =
      FederationGrpc.getGetBatchMethod().toBuilder(
              ProtoUtils.marshaller(GetBatchRequest.getDefaultInstance()), new Marshaller())
          .build();

  /** The Federation service with these three methods; the schema stays the generated one. */
  public static final ServiceDescriptor FEDERATION =
      ServiceDescriptor.newBuilder(FederationGrpc.SERVICE_NAME)
          .setSchemaDescriptor(FederationGrpc.getServiceDescriptor().getSchemaDescriptor())
          .addMethod(FederationGrpc.getGetNodeInfoMethod())
          .addMethod(PUBLISH_BATCH)
          .addMethod(PULL_BATCHES)
          .addMethod(SUBSCRIBE_BATCHES)
          .addMethod(GET_BATCH)
          .build();

  // Field numbers, as in federation.proto.
  private static final int PULL_BATCHES_FIELD = 1;
  private static final int PULL_NEXT_CURSOR = 2;
  private static final int PULL_CAUGHT_UP = 3;
  private static final int SUBSCRIBE_BATCH = 1;
  private static final int SUBSCRIBE_CURSOR = 2;
  private static final int SUBSCRIBE_CAUGHT_UP = 3;
  private static final int GET_BATCH_BATCH = 1;
  private static final int PUBLISH_BATCH_BATCH = 1;

  /** The description of a message whose bytes do not parse (R20.10). */
  public static final String NOT_A_MESSAGE =
      Rule.UNDECODABLE_REQUEST.id() + ": the request is not a valid fedtrace.v1 message";

  private BatchWire() {}

  /** Largest response message a node sends (R6.14). */
  public static final int MAX_RESPONSE_BYTES = 4_194_304;

  /** Room in a PullBatchesResponse for the next cursor (at most 64 bytes) and caught_up. */
  private static final int PULL_TRAILER_BYTES = 2 + 64 + 2;

  /**
   * The first of {@code batches} that fit in one PullBatchesResponse of at most {@value
   * #MAX_RESPONSE_BYTES} bytes, and at least one (R9.4).
   */
  public static List<StoredBatch> withinResponseLimit(List<StoredBatch> batches) {
    long size = PULL_TRAILER_BYTES;
    for (int i = 0; i < batches.size(); i++) {
      size += CodedOutputStream.computeByteArraySize(PULL_BATCHES_FIELD, batches.get(i).payload());
      if (size > MAX_RESPONSE_BYTES) {
        return batches.subList(0, Math.max(1, i));
      }
    }
    return batches;
  }

  /** A PullBatchesResponse. */
  public static Encoded pull(List<StoredBatch> batches, ByteString nextCursor, boolean caughtUp) {
    int size = bytesSize(PULL_NEXT_CURSOR, nextCursor) + boolSize(PULL_CAUGHT_UP, caughtUp);
    for (StoredBatch b : batches) {
      size += CodedOutputStream.computeByteArraySize(PULL_BATCHES_FIELD, b.payload());
    }
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      for (StoredBatch b : batches) {
        o.writeByteArray(PULL_BATCHES_FIELD, b.payload());
      }
      writeBytes(o, PULL_NEXT_CURSOR, nextCursor);
      writeBool(o, PULL_CAUGHT_UP, caughtUp);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(out);
  }

  /** A SubscribeBatchesResponse carrying {@code batch}. */
  public static Encoded subscribe(StoredBatch batch, ByteString cursor, boolean caughtUp) {
    int size =
        CodedOutputStream.computeByteArraySize(SUBSCRIBE_BATCH, batch.payload())
            + bytesSize(SUBSCRIBE_CURSOR, cursor)
            + boolSize(SUBSCRIBE_CAUGHT_UP, caughtUp);
    byte[] out = new byte[size];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeByteArray(SUBSCRIBE_BATCH, batch.payload());
      writeBytes(o, SUBSCRIBE_CURSOR, cursor);
      writeBool(o, SUBSCRIBE_CAUGHT_UP, caughtUp);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(out);
  }

  /** A SubscribeBatchesResponse without a batch: a heartbeat. */
  public static Encoded heartbeat(ByteString cursor, boolean caughtUp) {
    byte[] out =
        new byte[bytesSize(SUBSCRIBE_CURSOR, cursor) + boolSize(SUBSCRIBE_CAUGHT_UP, caughtUp)];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      writeBytes(o, SUBSCRIBE_CURSOR, cursor);
      writeBool(o, SUBSCRIBE_CAUGHT_UP, caughtUp);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(out);
  }

  /**
   * PublishBatch as a pushing client sends it: the stored batch's bytes as they are, without
   * parsing and re-encoding them (the origin's exact bytes travel on, R8.25).
   */
  public static final MethodDescriptor<Encoded, PublishBatchResponse> PUBLISH_STORED =
      FederationGrpc.getPublishBatchMethod().toBuilder(
              new Marshaller(), ProtoUtils.marshaller(PublishBatchResponse.getDefaultInstance()))
          .build();

  /** A GetBatchResponse. */
  public static Encoded getBatch(StoredBatch batch) {
    return batchField(GET_BATCH_BATCH, batch);
  }

  /** A PublishBatchRequest of a stored batch. */
  public static Encoded publish(StoredBatch batch) {
    return batchField(PUBLISH_BATCH_BATCH, batch);
  }

  /** A message whose only field, {@code field}, is the stored batch. */
  private static Encoded batchField(int field, StoredBatch batch) {
    byte[] out = new byte[CodedOutputStream.computeByteArraySize(field, batch.payload())];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeByteArray(field, batch.payload());
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Encoded(out);
  }

  private static int bytesSize(int field, ByteString value) {
    return value.isEmpty() ? 0 : CodedOutputStream.computeBytesSize(field, value);
  }

  private static int boolSize(int field, boolean value) {
    return value ? CodedOutputStream.computeBoolSize(field, true) : 0;
  }

  private static void writeBytes(CodedOutputStream o, int field, ByteString value)
      throws IOException {
    if (!value.isEmpty()) {
      o.writeBytes(field, value);
    }
  }

  private static void writeBool(CodedOutputStream o, int field, boolean value) throws IOException {
    if (value) {
      o.writeBool(field, true);
    }
  }

  /**
   * The bytes of field 1 of {@code message} when it occurs exactly once and holds a
   * length-delimited value, else empty.
   */
  public static Optional<byte[]> singleField1(byte[] message) {
    CodedInputStream in = CodedInputStream.newInstance(message);
    byte[] found = null;
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == FIELD_1_LENGTH_DELIMITED && found == null) {
          found = in.readByteArray();
        } else if (WireFormat.getTagFieldNumber(tag) == 1) {
          return Optional.empty();
        } else if (!in.skipField(tag)) {
          return Optional.empty();
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.ofNullable(found);
  }

  /** The tag of field 1 with a length-delimited value: field number, then the 3-bit wire type. */
  private static final int FIELD_1_LENGTH_DELIMITED = 1 << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED;

  /** Parses a message of type {@code M}. */
  @FunctionalInterface
  interface Parser<M> {
    M parse(byte[] bytes) throws InvalidProtocolBufferException;
  }

  /** Parses messages and keeps the bytes of their batch field. */
  static final class ReceivedMarshaller<M extends Message>
      implements MethodDescriptor.Marshaller<Received<M>> {
    private final Parser<M> parser;
    private final Function<M, byte[]> reencodedBatch;

    ReceivedMarshaller(Parser<M> parser, Function<M, byte[]> reencodedBatch) {
      this.parser = parser;
      this.reencodedBatch = reencodedBatch;
    }

    @Override
    public InputStream stream(Received<M> value) {
      return value.message().toByteString().newInput();
    }

    @Override
    public Received<M> parse(InputStream stream) {
      byte[] bytes;
      M message;
      try {
        bytes = stream.readAllBytes();
        message = parser.parse(bytes);
      } catch (IOException e) {
        // malformed input: INVALID_ARGUMENT, as the spec's status table says, not INTERNAL
        throw Status.INVALID_ARGUMENT
            .withDescription(NOT_A_MESSAGE)
            .withCause(e)
            .asRuntimeException();
      }
      byte[] batch = singleField1(bytes).orElseGet(() -> reencodedBatch.apply(message));
      return new Received<>(message, batch);
    }
  }

  /** Sends encoded responses as they are; reads them back as bytes. */
  static final class Marshaller implements MethodDescriptor.Marshaller<Encoded> {
    @Override
    public InputStream stream(Encoded value) {
      return new Stream(value.bytes());
    }

    @Override
    public Encoded parse(InputStream stream) {
      try {
        return new Encoded(stream.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Bytes whose length gRPC can see and which it drains without an extra copy. */
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

package org.fedtrace.node.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.fedtrace.crypto.Digest;
import org.fedtrace.node.rpc.Cursor;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.GetBatchResponse;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.testing.TestBatches;
import org.junit.jupiter.api.Test;

class BatchWireTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final ByteString CURSOR = Cursor.encode(77, 12);
  private final TestBatches t = new TestBatches(3, NOW);
  private final DiagnosisKeyBatch first = t.batch("DE", 1, t.keys(5, 3));
  private final DiagnosisKeyBatch second =
      t.batch("FR", 9, t.keys(2, 2)).toBuilder()
          .setSignerCertificate(ByteString.copyFrom(new byte[300]))
          .build();

  private static StoredBatch stored(DiagnosisKeyBatch b) {
    return new StoredBatch(
        1, b.getOrigin(), null, b.toByteArray(), Digest.of(new byte[32]), b.getKeysCount());
  }

  @Test
  void pullResponseIsWhatTheGeneratedClassesWrite() {
    assertArrayEquals(
        PullBatchesResponse.newBuilder()
            .addBatches(first)
            .addBatches(second)
            .setNextCursor(CURSOR)
            .setCaughtUp(true)
            .build()
            .toByteArray(),
        BatchWire.pull(List.of(stored(first), stored(second)), CURSOR, true).bytes());
    assertArrayEquals(new byte[0], BatchWire.pull(List.of(), ByteString.EMPTY, false).bytes());
  }

  @Test
  void aPullResponseHoldsAsManyBatchesAsFitInFourMebibytes() {
    StoredBatch mebibyte =
        new StoredBatch(1, "DE", null, new byte[1 << 20], Digest.of(new byte[32]), 1);
    StoredBatch small =
        new StoredBatch(2, "DE", null, new byte[100_000], Digest.of(new byte[32]), 1);
    assertEquals(
        3, BatchWire.withinResponseLimit(List.of(mebibyte, mebibyte, mebibyte, mebibyte)).size());
    assertEquals(
        4, BatchWire.withinResponseLimit(List.of(mebibyte, mebibyte, mebibyte, small)).size());
    StoredBatch huge =
        new StoredBatch(3, "DE", null, new byte[5 << 20], Digest.of(new byte[32]), 1);
    assertEquals(
        List.of(huge), BatchWire.withinResponseLimit(List.of(huge, small)), "at least one batch");
  }

  @Test
  void subscribeResponsesAreWhatTheGeneratedClassesWrite() {
    assertArrayEquals(
        SubscribeBatchesResponse.newBuilder()
            .setBatch(second)
            .setCursor(CURSOR)
            .build()
            .toByteArray(),
        BatchWire.subscribe(stored(second), CURSOR, false).bytes());
    assertArrayEquals(
        SubscribeBatchesResponse.newBuilder()
            .setBatch(first)
            .setCursor(CURSOR)
            .setCaughtUp(true)
            .build()
            .toByteArray(),
        BatchWire.subscribe(stored(first), CURSOR, true).bytes());
    assertArrayEquals(
        SubscribeBatchesResponse.newBuilder()
            .setCursor(CURSOR)
            .setCaughtUp(true)
            .build()
            .toByteArray(),
        BatchWire.heartbeat(CURSOR, true).bytes());
    assertArrayEquals(new byte[0], BatchWire.heartbeat(ByteString.EMPTY, false).bytes());
  }

  @Test
  void getBatchResponseIsWhatTheGeneratedClassesWrite() {
    assertArrayEquals(
        GetBatchResponse.newBuilder().setBatch(first).build().toByteArray(),
        BatchWire.getBatch(stored(first)).bytes());
  }

  @Test
  void aPushedBatchIsWhatTheGeneratedClassesWrite() {
    assertArrayEquals(
        PublishBatchRequest.newBuilder().setBatch(first).build().toByteArray(),
        BatchWire.publish(stored(first)).bytes());
  }

  @Test
  void aPublishedBatchKeepsTheBytesItArrivedIn() throws IOException {
    byte[] request = PublishBatchRequest.newBuilder().setBatch(first).build().toByteArray();
    BatchWire.Received<PublishBatchRequest> r = parse(request);
    assertEquals(first, r.message().getBatch());
    assertArrayEquals(first.toByteArray(), r.batchBytes());

    // a batch field followed by an unknown field: the batch bytes are still the field's bytes
    ByteArrayOutputStream withUnknown = new ByteArrayOutputStream();
    withUnknown.write(request);
    withUnknown.write(new byte[] {0x10, 0x01});
    r = parse(withUnknown.toByteArray());
    assertTrue(r.message().getUnknownFields().hasField(2));
    assertArrayEquals(first.toByteArray(), r.batchBytes());
  }

  @Test
  void aBatchSplitOverTwoFieldsIsStoredAsItsMergedEncoding() throws IOException {
    DiagnosisKeyBatch head = first.toBuilder().clearKeys().build();
    DiagnosisKeyBatch keys = DiagnosisKeyBatch.newBuilder().addAllKeys(first.getKeysList()).build();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeMessage(1, head);
    out.writeMessage(1, keys);
    out.flush();
    BatchWire.Received<PublishBatchRequest> r = parse(bytes.toByteArray());
    assertEquals(first, r.message().getBatch());
    assertArrayEquals(first.toByteArray(), r.batchBytes());
  }

  @Test
  void aRequestWithoutBatchHasNoBatchBytes() throws IOException {
    BatchWire.Received<PublishBatchRequest> r = parse(new byte[0]);
    assertEquals(false, r.message().hasBatch());
    assertArrayEquals(new byte[0], r.batchBytes());
  }

  @Test
  void malformedBytesAreRefusedAsInvalidArgument() {
    StatusRuntimeException e =
        assertThrows(StatusRuntimeException.class, () -> parse(new byte[] {0x0a, 0x05, 0x01}));
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
    assertEquals(
        "R20.10: the request is not a valid fedtrace.v1 message", e.getStatus().getDescription());
  }

  private static BatchWire.Received<PublishBatchRequest> parse(byte[] bytes) {
    InputStream in = new ByteArrayInputStream(bytes);
    return BatchWire.PUBLISH_BATCH.parseRequest(in);
  }
}

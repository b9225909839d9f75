package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.function.Executable;

/** Assertions on refused calls: the status code, the exact message and the details. */
final class Refusals {
  private Refusals() {}

  /** Runs {@code call}, asserts it fails with {@code code} and {@code message}, returns it. */
  static StatusRuntimeException refused(Status.Code code, String message, Executable call) {
    StatusRuntimeException e = refused(code, call);
    assertEquals(message, e.getStatus().getDescription());
    return e;
  }

  /** Runs {@code call}, asserts it fails with {@code code}, returns the failure. */
  static StatusRuntimeException refused(Status.Code code, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    return e;
  }

  /** The google.rpc.BadRequest field violations of {@code e}, each as "field | description". */
  static List<String> violations(StatusRuntimeException e) {
    List<String> out = new ArrayList<>();
    for (Any detail : details(e)) {
      if (detail.is(BadRequest.class)) {
        for (BadRequest.FieldViolation v :
            unpack(detail, BadRequest.class).getFieldViolationsList()) {
          out.add(v.getField() + " | " + v.getDescription());
        }
      }
    }
    return out;
  }

  /** The google.rpc.RetryInfo delay of {@code e}, if it carries one. */
  static Optional<Duration> retryDelay(StatusRuntimeException e) {
    for (Any detail : details(e)) {
      if (detail.is(RetryInfo.class)) {
        com.google.protobuf.Duration d = unpack(detail, RetryInfo.class).getRetryDelay();
        return Optional.of(Duration.ofSeconds(d.getSeconds(), d.getNanos()));
      }
    }
    return Optional.empty();
  }

  private static List<Any> details(StatusRuntimeException e) {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    return s == null ? List.of() : s.getDetailsList();
  }

  private static <T extends com.google.protobuf.Message> T unpack(Any any, Class<T> type) {
    try {
      return any.unpack(type);
    } catch (InvalidProtocolBufferException ex) {
      throw new AssertionError("a status detail does not parse", ex);
    }
  }
}

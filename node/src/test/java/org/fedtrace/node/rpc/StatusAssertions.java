package org.fedtrace.node.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.rpc.BadRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/** Asserts a call's status code, message and BadRequest field violations. */
final class StatusAssertions {
  private StatusAssertions() {}

  static StatusRuntimeException assertStatus(Status.Code code, String message, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    assertEquals(message, e.getStatus().getDescription());
    return e;
  }

  /** The field paths and descriptions of the BadRequest detail, "field: description". */
  static List<String> violations(StatusRuntimeException e) throws Exception {
    com.google.rpc.Status s = StatusProto.fromThrowable(e);
    if (s == null || s.getDetailsCount() == 0) {
      return List.of();
    }
    return s.getDetails(0).unpack(BadRequest.class).getFieldViolationsList().stream()
        .map(v -> v.getField() + ": " + v.getDescription())
        .toList();
  }
}

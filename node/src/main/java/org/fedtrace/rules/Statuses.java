package org.fedtrace.rules;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;

/** The one place that turns a {@link RuleViolation} into a gRPC status with details. */
public final class Statuses {
  /** Most field violations sent in one status (R20.6). */
  public static final int MAX_DETAILS = 32;

  private Statuses() {}

  /**
   * The status for {@code violation}: the rule's code, the violation's message and, when fields
   * were named, a google.rpc.BadRequest with one field violation per bad field; when the caller may
   * retry after a delay, a google.rpc.RetryInfo (R20.7).
   */
  public static StatusRuntimeException toStatus(RuleViolation violation) {
    return StatusProto.toStatusRuntimeException(proto(violation));
  }

  /** Trailers carrying the status details of {@code violation}, for closing a call directly. */
  public static io.grpc.Metadata trailers(RuleViolation violation) {
    io.grpc.Metadata trailers = toStatus(violation).getTrailers();
    return trailers == null ? new io.grpc.Metadata() : trailers;
  }

  private static com.google.rpc.Status proto(RuleViolation violation) {
    Status.Code code = violation.rule().code();
    com.google.rpc.Status.Builder status =
        com.google.rpc.Status.newBuilder().setCode(code.value()).setMessage(violation.getMessage());
    if (!violation.fieldViolations().isEmpty()) {
      BadRequest.Builder badRequest = BadRequest.newBuilder();
      for (RuleViolation.FieldViolation f :
          violation
              .fieldViolations()
              .subList(0, Math.min(MAX_DETAILS, violation.fieldViolations().size()))) {
        badRequest.addFieldViolations(
            BadRequest.FieldViolation.newBuilder()
                .setField(f.field())
                .setDescription(f.wireDescription()));
      }
      status.addDetails(Any.pack(badRequest.build()));
    }
    violation
        .retryDelay()
        .ifPresent(
            d ->
                status.addDetails(
                    Any.pack(
                        RetryInfo.newBuilder()
                            .setRetryDelay(
                                com.google.protobuf.Duration.newBuilder()
                                    .setSeconds(d.getSeconds())
                                    .setNanos(d.getNano()))
                            .build())));
    return status.build();
  }
}

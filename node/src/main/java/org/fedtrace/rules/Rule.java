package org.fedtrace.rules;

import io.grpc.Status;

/**
 * The numbered rules of spec/protocol.md that a node checks, each with the one status code it
 * produces. The ids are the spec's; the conformance suite names its tests after them.
 */
public enum Rule {
  // Transport and identity
  NO_PEER_IDENTITY("R6.3", Status.Code.UNAUTHENTICATED),
  PEER_CERTIFICATE_UNTRUSTED("R6.4", Status.Code.UNAUTHENTICATED),
  PEER_CERTIFICATE_WRONG_PURPOSE("R6.5", Status.Code.PERMISSION_DENIED),
  PEER_NOT_A_MEMBER("R6.6", Status.Code.PERMISSION_DENIED),
  MESSAGE_TOO_LARGE("R6.8", Status.Code.RESOURCE_EXHAUSTED),
  RATE_LIMITED("R6.9", Status.Code.RESOURCE_EXHAUSTED),
  PAST_SUNSET("R6.10", Status.Code.FAILED_PRECONDITION),
  DRAINING("R6.11", Status.Code.UNAVAILABLE),

  // PublishBatch: the batch
  FORMAT_VERSION("R8.1", Status.Code.FAILED_PRECONDITION),
  BATCH_ID_LENGTH("R8.2", Status.Code.INVALID_ARGUMENT),
  ORIGIN_SYNTAX("R8.3", Status.Code.INVALID_ARGUMENT),
  SEQUENCE_ZERO("R8.4", Status.Code.INVALID_ARGUMENT),
  CREATED_IN_FUTURE("R8.5", Status.Code.INVALID_ARGUMENT),
  CREATED_BEFORE_RETENTION("R8.6", Status.Code.INVALID_ARGUMENT),
  NO_KEYS("R8.7", Status.Code.INVALID_ARGUMENT),
  TOO_MANY_KEYS("R8.8", Status.Code.RESOURCE_EXHAUSTED),
  SIGNATURE_LENGTH("R8.9", Status.Code.INVALID_ARGUMENT),

  // PublishBatch: each key
  KEY_DATA_LENGTH("R8.10", Status.Code.INVALID_ARGUMENT),
  ROLLING_PERIOD_RANGE("R8.11", Status.Code.INVALID_ARGUMENT),
  ROLLING_START_IN_FUTURE("R8.12", Status.Code.INVALID_ARGUMENT),
  KEY_PAST_RETENTION("R8.13", Status.Code.INVALID_ARGUMENT),
  REPORT_TYPE("R8.14", Status.Code.INVALID_ARGUMENT),
  DAYS_SINCE_ONSET_RANGE("R8.15", Status.Code.INVALID_ARGUMENT),
  TRANSMISSION_RISK_RANGE("R8.16", Status.Code.INVALID_ARGUMENT),
  VISITED_COUNTRIES("R8.17", Status.Code.INVALID_ARGUMENT),
  DUPLICATE_KEY("R8.18", Status.Code.INVALID_ARGUMENT),

  // PublishBatch: origin and signature
  ORIGIN_NOT_A_MEMBER("R8.19", Status.Code.PERMISSION_DENIED),
  SIGNER_CERTIFICATE_MALFORMED("R8.20", Status.Code.INVALID_ARGUMENT),
  SIGNER_CERTIFICATE_UNTRUSTED("R8.21", Status.Code.PERMISSION_DENIED),
  SIGNER_CERTIFICATE_WRONG_PURPOSE("R8.22", Status.Code.PERMISSION_DENIED),
  ORIGIN_IS_NOT_SIGNER_COUNTRY("R8.23", Status.Code.PERMISSION_DENIED),
  SIGNATURE_INVALID("R8.24", Status.Code.INVALID_ARGUMENT),

  // PublishBatch: identity of the batch
  BATCH_ID_CONFLICT("R8.25", Status.Code.ALREADY_EXISTS),
  SEQUENCE_CONFLICT("R8.26", Status.Code.ALREADY_EXISTS),

  // PullBatches and SubscribeBatches
  CURSOR_MALFORMED("R9.1", Status.Code.INVALID_ARGUMENT),
  MAX_BATCHES_RANGE("R9.2", Status.Code.INVALID_ARGUMENT),

  // GetBatch
  GET_BATCH_ARGUMENT("R11.1", Status.Code.INVALID_ARGUMENT),
  BATCH_NOT_FOUND("R11.2", Status.Code.NOT_FOUND),

  // UploadDiagnosisKeys
  UPLOAD_CALLER_COUNTRY("R12.1", Status.Code.PERMISSION_DENIED),
  AUTHORIZATION_MALFORMED("R12.2", Status.Code.INVALID_ARGUMENT),
  AUTHORIZATION_COUNTRY("R12.3", Status.Code.PERMISSION_DENIED),
  AUTHORIZATION_UNKNOWN_AUTHORITY("R12.4", Status.Code.PERMISSION_DENIED),
  AUTHORIZATION_SIGNATURE("R12.5", Status.Code.INVALID_ARGUMENT),
  AUTHORIZATION_EXPIRED("R12.6", Status.Code.PERMISSION_DENIED),
  AUTHORIZATION_LIFETIME("R12.7", Status.Code.PERMISSION_DENIED),
  AUTHORIZATION_KEYS_MISMATCH("R12.8", Status.Code.INVALID_ARGUMENT),
  AUTHORIZATION_USED("R12.9", Status.Code.ALREADY_EXISTS),
  UPLOAD_NO_KEYS("R12.10", Status.Code.INVALID_ARGUMENT);

  private final String id;
  private final Status.Code code;

  Rule(String id, Status.Code code) {
    this.id = id;
    this.code = code;
  }

  /** The spec's rule id, e.g. "R8.12". */
  public String id() {
    return id;
  }

  /** The status code a violation of this rule produces. */
  public Status.Code code() {
    return code;
  }
}

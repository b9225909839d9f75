package org.fedtrace.node;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetBatchRequest;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;
import org.fedtrace.store.Page;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.transport.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fedtrace.v1.Federation} service: peers push, pull, subscribe to and fetch batches. The
 * caller's identity and membership were established by the interceptors before a handler runs;
 * every batch goes through {@link Admission} before it is stored, and is acknowledged only after
 * the store committed it.
 */
final class BatchExchange implements BindableService {
  private static final Logger LOG = LoggerFactory.getLogger(BatchExchange.class);

  /** Default and largest page of PullBatches. */
  static final int DEFAULT_PAGE = 100;

  static final int MAX_PAGE = 1000;

  private final NodeServices services;

  BatchExchange(NodeServices services) {
    this.services = services;
  }

  /**
   * The Federation service. PublishBatch stores a batch in the bytes it arrived in; PullBatches,
   * SubscribeBatches and GetBatch answer with responses written around stored bytes ({@link
   * BatchWire}).
   */
  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(BatchWire.FEDERATION)
        .addMethod(
            FederationGrpc.getGetNodeInfoMethod(), ServerCalls.asyncUnaryCall(this::getNodeInfo))
        .addMethod(BatchWire.PUBLISH_BATCH, ServerCalls.asyncUnaryCall(this::publishBatch))
        .addMethod(BatchWire.PULL_BATCHES, ServerCalls.asyncUnaryCall(this::pullBatches))
        .addMethod(
            BatchWire.SUBSCRIBE_BATCHES,
            ServerCalls.asyncServerStreamingCall(this::subscribeBatches))
        .addMethod(BatchWire.GET_BATCH, ServerCalls.asyncUnaryCall(this::getBatch))
        .build();
  }

  void getNodeInfo(GetNodeInfoRequest request, StreamObserver<GetNodeInfoResponse> observer) {
    Unary.run("GetNodeInfo", services.metrics(), observer, services::nodeInfo);
  }

  void publishBatch(
      BatchWire.Received<PublishBatchRequest> received,
      StreamObserver<PublishBatchResponse> observer) {
    PublishBatchRequest request = received.message();
    Unary.run(
        "PublishBatch",
        services.metrics(),
        observer,
        () -> {
          OperatorIdentity peer = Caller.current();
          services.lifecycle().checkExchange();
          services.rateLimits().admit(peer, request.getBatch().getKeysCount());
          if (!request.hasBatch()) {
            throw RuleViolation.field(Rule.NO_BATCH, "batch", "is required");
          }
          if (BatchRules.hasUnknownFields(request)) {
            throw RuleViolation.field(
                Rule.BATCH_UNKNOWN_FIELDS, "", "the request carries fields unknown to v1");
          }
          DiagnosisKeyBatch batch = request.getBatch();
          Ingest.Result r = services.ingest().accept(batch, received.batchBytes(), peer, null);
          return PublishBatchResponse.newBuilder()
              .setDuplicate(r.duplicate())
              .setReceipt(r.receipt())
              .build();
        });
  }

  void pullBatches(PullBatchesRequest request, StreamObserver<BatchWire.Encoded> observer) {
    Unary.run(
        "PullBatches",
        services.metrics(),
        observer,
        () -> {
          OperatorIdentity peer = Caller.current();
          services.lifecycle().checkExchange();
          services.rateLimits().admit(peer, 0);
          Store store = services.store();
          int max = request.getMaxBatches() == 0 ? DEFAULT_PAGE : request.getMaxBatches();
          // R20.6: violations in field-number order: cursor (1), then max_batches (2)
          List<RuleViolation.FieldViolation> bad = new ArrayList<>();
          long position = 0;
          try {
            position = Cursor.decode(request.getCursor(), store.epoch(), Rule.CURSOR_MALFORMED);
          } catch (RuleViolation v) {
            bad.addAll(v.fieldViolations());
          }
          if (max < 0 || max > MAX_PAGE) {
            bad.add(
                new RuleViolation.FieldViolation(
                    "max_batches",
                    Rule.MAX_BATCHES_RANGE,
                    "must be at most 1000, got " + Integer.toUnsignedString(max)));
          }
          BatchRules.throwIfAny(bad);
          long after = position;
          Page page =
              store.read(tx -> tx.batches().servableAfter(after, max, services.recipient(peer)));
          List<StoredBatch> batches = BatchWire.withinResponseLimit(page.batches());
          long next =
              batches.size() < page.batches().size()
                  ? batches.get(batches.size() - 1).position()
                  : page.lastPosition();
          services.sent(batches, peer);
          return BatchWire.pull(
              batches,
              Cursor.encode(store.epoch(), next),
              next >= store.read(tx -> tx.batches().lastPosition()));
        });
  }

  void subscribeBatches(
      SubscribeBatchesRequest request, StreamObserver<BatchWire.Encoded> observer) {
    ServerCallStreamObserver<BatchWire.Encoded> call =
        (ServerCallStreamObserver<BatchWire.Encoded>) observer;
    try {
      OperatorIdentity peer = Caller.current();
      services.lifecycle().checkExchange();
      services.rateLimits().admit(peer, 0);
      long position =
          Cursor.decode(
              request.getCursor(), services.store().epoch(), Rule.SUBSCRIBE_CURSOR_MALFORMED);
      Subscription.start(services, peer, position, call);
    } catch (RuleViolation v) {
      observer.onError(Statuses.toStatus(v));
    } catch (StoreException e) {
      LOG.error("event=store_failure method=SubscribeBatches error=\"{}\"", e.getMessage(), e);
      observer.onError(
          io.grpc.Status.INTERNAL.withDescription("the node's store failed").asException());
    }
  }

  void getBatch(GetBatchRequest request, StreamObserver<BatchWire.Encoded> observer) {
    Unary.run(
        "GetBatch",
        services.metrics(),
        observer,
        () -> {
          OperatorIdentity peer = Caller.current();
          services.lifecycle().checkExchange();
          services.rateLimits().admit(peer, 0);
          List<RuleViolation.FieldViolation> bad = new ArrayList<>();
          if (!Countries.hasCodeSyntax(request.getOrigin())) {
            bad.add(
                new RuleViolation.FieldViolation(
                    "origin", Rule.GET_BATCH_ORIGIN, "must be two letters A..Z"));
          }
          if (request.getBatchId().size() != CanonicalEncoding.BATCH_ID_LENGTH) {
            bad.add(
                new RuleViolation.FieldViolation(
                    "batch_id",
                    Rule.GET_BATCH_ID,
                    "must be 16 bytes, got " + request.getBatchId().size()));
          }
          BatchRules.throwIfAny(bad);
          StoredBatch b =
              services
                  .store()
                  .read(
                      tx ->
                          tx.batches()
                              .servable(
                                  request.getOrigin(),
                                  request.getBatchId().toByteArray(),
                                  services.retentionWindowStart()))
                  .orElseThrow(
                      () -> new RuleViolation(Rule.BATCH_NOT_FOUND, "no such batch is served"));
          services.sent(List.of(b), peer);
          return BatchWire.getBatch(b);
        });
  }

  /** Parses a stored payload; the store only holds payloads that parsed when they arrived. */
  static DiagnosisKeyBatch parse(byte[] payload) {
    try {
      return DiagnosisKeyBatch.parseFrom(payload);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored batch does not parse", e);
    }
  }

  /** SHA-256 of a batch's canonical encoding, or of its bytes when it cannot be encoded. */
  static Digest subjectHash(DiagnosisKeyBatch batch) {
    try {
      return Digest.of(CanonicalEncoding.batchDigest(batch));
    } catch (IllegalArgumentException e) {
      return Digest.sha256(batch.toByteArray());
    }
  }
}

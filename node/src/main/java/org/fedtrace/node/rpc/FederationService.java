package org.fedtrace.node.rpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.node.exchange.Deliveries;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.Ingest;
import org.fedtrace.node.wire.BatchWire;
import org.fedtrace.pki.OperatorIdentity;
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
import org.fedtrace.store.Page;
import org.fedtrace.store.Recipient;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.transport.Caller;

/**
 * The {@code fedtrace.v1.Federation} service: peers push, pull, subscribe to and fetch batches. The
 * caller's identity, the node's state and the caller's rate limit were checked before a handler
 * runs ({@link RpcServices}); every batch goes through {@link Ingest} before it is stored, and is
 * acknowledged only after the store committed it. PublishBatch stores a batch in the bytes it
 * arrived in; PullBatches, SubscribeBatches and GetBatch answer with responses written around
 * stored bytes ({@link BatchWire}).
 */
public final class FederationService implements BindableService {
  /** Default and largest page of PullBatches. */
  static final int DEFAULT_PAGE = 100;

  static final int MAX_PAGE = 1000;

  private final ExchangeContext ctx;
  private final Ingest ingest;
  private final Deliveries deliveries;
  private final GetNodeInfoResponse nodeInfo;
  private final long heartbeatMillis;

  /**
   * @param nodeInfo the answer to GetNodeInfo
   * @param heartbeatMillis heartbeat period of idle subscriptions
   */
  public FederationService(
      ExchangeContext ctx,
      Ingest ingest,
      Deliveries deliveries,
      GetNodeInfoResponse nodeInfo,
      long heartbeatMillis) {
    this.ctx = ctx;
    this.ingest = ingest;
    this.deliveries = deliveries;
    this.nodeInfo = nodeInfo;
    this.heartbeatMillis = heartbeatMillis;
  }

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

  /** The keys a request pushes: those of a PublishBatch, else 0 (for the rate limit). */
  static long pushedKeys(Object request) {
    return request instanceof BatchWire.Received<?> r
            && r.message() instanceof PublishBatchRequest p
        ? p.getBatch().getKeysCount()
        : 0;
  }

  void getNodeInfo(GetNodeInfoRequest request, StreamObserver<GetNodeInfoResponse> observer) {
    Replies.send(observer, nodeInfo);
  }

  void publishBatch(
      BatchWire.Received<PublishBatchRequest> received,
      StreamObserver<PublishBatchResponse> observer) {
    PublishBatchRequest request = received.message();
    if (deliveries.isSelf(Caller.current())) {
      // R8.37: a batch from the node's own identity would be logged as received from itself;
      // the node creates the batches of its origin (R8.36) from what its backend uploads
      throw new RuleViolation(
          Rule.OWN_IDENTITY,
          "a node takes no batch from its own identity; its keys enter by upload");
    }
    if (!request.hasBatch()) {
      throw RuleViolation.field(Rule.NO_BATCH, "batch", "is required");
    }
    if (BatchRules.hasUnknownFields(request)) {
      throw RuleViolation.field(
          Rule.BATCH_UNKNOWN_FIELDS, "", "the request carries fields unknown to v1");
    }
    Ingest.Result r =
        ingest.accept(request.getBatch(), received.batchBytes(), Caller.current(), null);
    Replies.send(
        observer,
        PublishBatchResponse.newBuilder()
            .setDuplicate(r.duplicate())
            .setReceipt(r.receipt())
            .build());
  }

  void pullBatches(PullBatchesRequest request, StreamObserver<BatchWire.Encoded> observer) {
    OperatorIdentity peer = Caller.current();
    Store store = ctx.store();
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
    InterestFilter.check(request.getOriginsList(), bad);
    BatchRules.throwIfAny(bad);
    long after = position;
    Recipient served =
        new InterestFilter(
                request.getIncludeOwnOrigin(),
                Set.copyOf(request.getOriginsList()),
                request.getTravellersOnly())
            .apply(deliveries.recipient(peer));
    Page page = store.read(tx -> tx.batches().servableAfter(after, max, served));
    List<StoredBatch> batches = BatchWire.withinResponseLimit(page.batches());
    long next =
        batches.size() < page.batches().size()
            ? batches.get(batches.size() - 1).position()
            : page.lastPosition();
    List<StoredBatch> intact = deliveries.sent(batches, peer);
    long newest = store.read(tx -> tx.batches().lastPosition());
    Replies.send(
        observer, BatchWire.pull(intact, Cursor.encode(store.epoch(), next), next >= newest));
  }

  void subscribeBatches(
      SubscribeBatchesRequest request, StreamObserver<BatchWire.Encoded> observer) {
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    long position = 0;
    try {
      position =
          Cursor.decode(request.getCursor(), ctx.store().epoch(), Rule.SUBSCRIBE_CURSOR_MALFORMED);
    } catch (RuleViolation v) {
      if (v.fieldViolations().isEmpty()) {
        throw v;
      }
      bad.addAll(v.fieldViolations());
    }
    InterestFilter.check(request.getOriginsList(), bad);
    BatchRules.throwIfAny(bad);
    Subscription.start(
        new Subscription.Served(ctx, deliveries, heartbeatMillis),
        Caller.current(),
        position,
        new InterestFilter(
            request.getIncludeOwnOrigin(),
            Set.copyOf(request.getOriginsList()),
            request.getTravellersOnly()),
        (ServerCallStreamObserver<BatchWire.Encoded>) observer);
  }

  void getBatch(GetBatchRequest request, StreamObserver<BatchWire.Encoded> observer) {
    OperatorIdentity peer = Caller.current();
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    if (!Countries.hasOriginSyntax(request.getOrigin())) {
      bad.add(
          new RuleViolation.FieldViolation(
              "origin", Rule.GET_BATCH_ORIGIN, "must be CC or CC-operator-id"));
    }
    if (request.getBatchId().size() != CanonicalEncoding.BATCH_ID_LENGTH) {
      bad.add(
          new RuleViolation.FieldViolation(
              "batch_id",
              Rule.GET_BATCH_ID,
              "must be 16 bytes, got " + request.getBatchId().size()));
    }
    BatchRules.throwIfAny(bad);
    byte[] id = request.getBatchId().toByteArray();
    Recipient served = deliveries.recipient(peer);
    Recipient anyScope = deliveries.recipientIgnoringSharing(peer);
    StoredBatch b =
        ctx.store()
            .read(tx -> tx.batches().servable(request.getOrigin(), id, served))
            .orElseThrow(
                () ->
                    ctx.store()
                            .read(tx -> tx.batches().servable(request.getOrigin(), id, anyScope))
                            .isPresent()
                        // R25.11: held and servable, but not to this peer by the sharing terms
                        ? new RuleViolation(
                            Rule.GET_BATCH_OUTSIDE_SHARING_TERMS,
                            "the agreement's sharing terms do not let this batch go to "
                                + peer.country())
                        : new RuleViolation(Rule.BATCH_NOT_FOUND, "no such batch is served"));
    if (deliveries.sent(List.of(b), peer).isEmpty()) {
      throw new RuleViolation(Rule.BATCH_NOT_FOUND, "no such batch is served"); // damaged
    }
    Replies.send(observer, BatchWire.getBatch(b));
  }
}

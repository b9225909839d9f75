package org.fedtrace.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.KeyDestination;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.NoticeGrpc;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsResponse;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.NoticeUpload;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.Caller;

/**
 * The {@code fedtrace.v1.Notice} service (spec/transparency.md section 7): tells the holder of an
 * upload's notice secret to which peers the node delivered batches holding that upload's keys, each
 * delivery with its log entry and an inclusion proof against a fresh checkpoint. Possession of the
 * secret is the proof of possession: published keys are known to every peer, the secret only to the
 * device. The query is not logged, and the secret is not kept.
 */
public final class NoticeService extends NoticeGrpc.NoticeImplBase {
  /** Finds an accepted upload by its notice commitment (the node's store, in a read). */
  @FunctionalInterface
  public interface Directory {
    /** The upload whose notice commitment is {@code commitment}, while the node holds it. */
    Optional<NoticeUpload> find(byte[] commitment);
  }

  private final OperatorIdentity self;
  private final TransparencyLog log;
  private final Directory uploads;

  /**
   * @param self the node's identity: only its own operator's backend may ask (R14.1, R26.14)
   */
  public NoticeService(OperatorIdentity self, TransparencyLog log, Directory uploads) {
    this.self = self;
    this.log = log;
    this.uploads = uploads;
  }

  @Override
  public void queryKeyDestinations(
      QueryKeyDestinationsRequest request, StreamObserver<QueryKeyDestinationsResponse> observer) {
    Replies.send(observer, answer(request));
  }

  private QueryKeyDestinationsResponse answer(QueryKeyDestinationsRequest request) {
    OperatorIdentity caller = Caller.current();
    if (!caller.country().equals(self.country())) {
      throw new RuleViolation(
          Rule.NOTICE_CALLER_COUNTRY,
          "notice queries are answered only to this node's own country " + self.country());
    }
    if (!caller.equals(self)) {
      // another member of the node's country (protocol.md §26.2) asks for this member's uploads
      throw new RuleViolation(
          Rule.NOTICE_CALLER_MEMBER,
          "notice queries are answered only to this member's own backend " + self);
    }
    if (request.getNoticeSecret().size() != Sha256.LENGTH) {
      throw RuleViolation.field(Rule.NOTICE_SECRET_LENGTH, "notice_secret", "must be 32 bytes");
    }
    byte[] commitment = Sha256.hash(request.getNoticeSecret().toByteArray());
    NoticeUpload upload =
        uploads
            .find(commitment)
            .orElseThrow(
                () ->
                    new RuleViolation(
                        Rule.NOTICE_UNKNOWN_UPLOAD,
                        "the node holds no upload with this secret's commitment"));
    Checkpoint checkpoint = log.checkpoint();
    long size = checkpoint.getTreeSize();
    QueryKeyDestinationsResponse.Builder out =
        QueryKeyDestinationsResponse.newBuilder().setCheckpoint(checkpoint);
    Set<Delivery> seen = new HashSet<>();
    for (LogEntry e : log.deliveries(upload.batches(), size)) {
      if (seen.add(new Delivery(e.getPeer(), e.getSubjectSha256()))) {
        out.addDestinations(
            KeyDestination.newBuilder()
                .setPeer(e.getPeer())
                .setEntry(e)
                .addAllAuditPath(
                    TransparencyLogService.bytes(log.inclusionProof(e.getLeafIndex(), size))));
      }
    }
    return out.build();
  }

  /** A batch delivered to a peer: answered once, with its earliest entry (R14.5). */
  private record Delivery(String peer, ByteString subject) {}
}

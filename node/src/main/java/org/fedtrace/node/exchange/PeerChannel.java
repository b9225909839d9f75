package org.fedtrace.node.exchange;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection to one peer: the mutual-TLS channel (which accepts only a server certificate naming
 * {@code peer}), the agreement both nodes must enforce, and the deadline of every unary call.
 *
 * @param agreementSha256 the hash of the agreement this node runs (R7.9, R7.10)
 */
public record PeerChannel(
    OperatorIdentity peer, ManagedChannel channel, byte[] agreementSha256, long deadlineMillis) {
  private static final Logger LOG = LoggerFactory.getLogger(PeerChannel.class);

  /**
   * The Federation stub with the unary deadline. Its calls wait, within the deadline, for a replica
   * of the peer that is connected and healthy, rather than fail while the channel moves to one.
   */
  FederationGrpc.FederationStub stub() {
    return FederationGrpc.newStub(channel)
        .withWaitForReady()
        .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
  }

  /** Call options of a call on this channel: wait for a ready replica, within {@code deadline}. */
  CallOptions options(long deadline, TimeUnit unit) {
    return CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(deadline, unit);
  }

  /**
   * Before a retry: lets the channel try every replica now instead of after gRPC's own connection
   * backoff (which grows to two minutes), so that the node's retry delays decide when a peer whose
   * every replica was down is tried again.
   */
  void retryNow() {
    channel.resetConnectBackoff();
  }

  /**
   * Asks the peer with GetNodeInfo whether it enforces the same agreement, then runs {@code same}
   * or, when it does not or cannot be reached, logs why and runs {@code otherwise}.
   */
  void checkAgreement(Runnable same, Runnable otherwise) {
    stub()
        .getNodeInfo(
            GetNodeInfoRequest.getDefaultInstance(),
            new StreamObserver<>() {
              @Override
              public void onNext(GetNodeInfoResponse info) {
                if (Arrays.equals(info.getAgreementSha256().toByteArray(), agreementSha256)) {
                  same.run();
                  return;
                }
                LOG.error(mismatch(peer, info, agreementSha256));
                otherwise.run();
              }

              @Override
              public void onError(Throwable t) {
                LOG.warn("event=peer_unreachable peer={} status={}", peer, describe(t));
                otherwise.run();
              }

              @Override
              public void onCompleted() {}
            });
  }

  /**
   * The log line of a peer that runs another agreement: both agreements' hashes (the one that
   * differs is what R7.10 compares), and the peer's terms.
   */
  static String mismatch(OperatorIdentity peer, GetNodeInfoResponse info, byte[] ours) {
    HexFormat hex = HexFormat.of();
    return "event=agreement_mismatch peer="
        + peer
        + " our_agreement_sha256="
        + hex.formatHex(ours)
        + " their_agreement_sha256="
        + hex.formatHex(info.getAgreementSha256().toByteArray())
        + " their_federation=\""
        + info.getFederation()
        + "\" their_retention="
        + info.getRetentionDays()
        + " their_sunset="
        + info.getSunsetDate();
  }

  /** Closes the channel at once. */
  void close() {
    channel.shutdownNow();
  }

  /** A status for the log: its code and description. */
  static String describe(Throwable t) {
    Status s = Status.fromThrowable(t);
    return s.getCode() + (s.getDescription() == null ? "" : " \"" + s.getDescription() + "\"");
  }
}

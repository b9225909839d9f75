package org.fedtrace.node.exchange;

import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.proto.v1.WitnessingGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Witnesses one peer's log on the channel the node exchanges on, every {@code
 * sync.witnessIntervalSeconds} and first within one interval of starting to follow the peer, at the
 * peer's phase (R17.1). The rounds run on {@link WitnessRounds}, never on the scheduler the
 * exchanges share. Each call has the channel's deadline; a peer that cannot be reached is counted
 * ({@code outcome unreachable}) and tried again at the next round.
 */
final class WitnessJob implements Witness.Log {
  private static final Logger LOG = LoggerFactory.getLogger(WitnessJob.class);

  private final PeerChannel peer;
  private final Witness witness;
  private final ExchangeContext ctx;
  private ScheduledFuture<?> schedule;

  WitnessJob(PeerChannel peer, Witness witness, ExchangeContext ctx) {
    this.peer = peer;
    this.witness = witness;
    this.ctx = ctx;
  }

  /** Starts the rounds on {@code rounds}: the first at this peer's phase, then every interval. */
  synchronized void start(WitnessRounds rounds, long intervalSeconds) {
    schedule = rounds.schedule(this::round, intervalSeconds);
  }

  /** Stops the rounds. */
  synchronized void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  private void round() {
    try {
      witness.witness(peer.peer(), this);
    } catch (StatusRuntimeException e) {
      ctx.metrics().witnessed(peer.peer().toString(), "unreachable");
      LOG.warn(
          "event=witness_round_failed peer={} status={}", peer.peer(), e.getStatus().getCode());
    } catch (RuntimeException e) {
      LOG.error("event=witness_round_failed peer={} error=\"{}\"", peer.peer(), e.getMessage(), e);
    }
  }

  @Override
  public GetCheckpointResponse checkpoint() {
    return logStub().getCheckpoint(GetCheckpointRequest.getDefaultInstance());
  }

  @Override
  public List<byte[]> consistencyProof(long first, long second) {
    return logStub()
        .getConsistencyProof(
            GetConsistencyProofRequest.newBuilder()
                .setFirstTreeSize(first)
                .setSecondTreeSize(second)
                .build())
        .getProofList()
        .stream()
        .map(b -> b.toByteArray())
        .toList();
  }

  @Override
  public void addCosignature(AddCosignatureRequest request) {
    WitnessingGrpc.newBlockingStub(peer.channel())
        .withWaitForReady()
        .withDeadlineAfter(peer.deadlineMillis(), TimeUnit.MILLISECONDS)
        .addCosignature(request);
  }

  private TransparencyLogGrpc.TransparencyLogBlockingStub logStub() {
    return TransparencyLogGrpc.newBlockingStub(peer.channel())
        .withWaitForReady()
        .withDeadlineAfter(peer.deadlineMillis(), TimeUnit.MILLISECONDS);
  }
}

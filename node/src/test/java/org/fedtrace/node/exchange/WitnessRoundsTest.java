package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.TransparencyLogGrpc;
import org.fedtrace.testing.ChangeSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Witness rounds run on their own few threads (spec/transparency.md §15.3): peers whose
 * GetCheckpoint hangs hold at most {@link WitnessRounds#THREADS} of them and never the scheduler
 * that pushes run on; each peer's rounds start at its own phase of the interval; the threads end
 * with the node.
 */
class WitnessRoundsTest {
  private static final long WAIT_SECONDS = 60;
  private static final Duration WAIT = Duration.ofSeconds(WAIT_SECONDS);
  private static final List<String> PEERS = List.of("FR", "IT", "NL", "BE", "AT");

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** A peer's log whose GetCheckpoint answers only once {@code release} opens. */
  private static final class HangingLog extends TransparencyLogGrpc.TransparencyLogImplBase {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger waiting = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();

    /** Signalled at every call: the rounds repeat each interval, so calls keep coming. */
    final ChangeSignal calls = new ChangeSignal();

    @Override
    public void getCheckpoint(
        GetCheckpointRequest request, StreamObserver<GetCheckpointResponse> response) {
      mostAtOnce.accumulateAndGet(waiting.incrementAndGet(), Math::max);
      calls.changed();
      try {
        release.await(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      waiting.decrementAndGet();
      response.onNext(GetCheckpointResponse.getDefaultInstance()); // nothing to cosign yet
      response.onCompleted();
    }
  }

  @Test
  void hangingPeersHoldNeitherThePushSchedulerNorMoreThanTheWitnessThreads() throws Exception {
    HangingLog hanging = new HangingLog();
    String name = InProcessServerBuilder.generateName();
    ExecutorService serving = Executors.newCachedThreadPool();
    closing.add(serving::shutdownNow);
    Server server =
        InProcessServerBuilder.forName(name).addService(hanging).executor(serving).build().start();
    closing.add(() -> server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    // the scheduler pushes share, with a single thread: one round on it would stall every push
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    closing.add(scheduler::shutdownNow);
    NodeMetrics metrics = new NodeMetrics();
    ExchangeContext ctx =
        new ExchangeContext(null, null, metrics, null, null, Clock.systemUTC(), scheduler);
    OperatorIdentity self = new OperatorIdentity("DE", "op-de");
    Witness witness = new Witness(null, metrics, null, self, null, new byte[0], ctx.clock());
    WitnessRounds rounds = new WitnessRounds("DE", 7);
    closing.add(rounds);

    int peers = PEERS.size();
    List<WitnessJob> jobs = new ArrayList<>();
    for (int i = 0; i < peers; i++) {
      ManagedChannel channel = InProcessChannelBuilder.forName(name).build();
      closing.add(() -> channel.shutdownNow());
      PeerChannel peer =
          new PeerChannel(
              new OperatorIdentity(PEERS.get(i), "op"),
              channel,
              new byte[32],
              2 * WAIT_SECONDS * 1000);
      WitnessJob job = new WitnessJob(peer, witness, ctx);
      job.start(rounds, 1);
      jobs.add(job);
    }
    hanging.calls.await(
        WAIT,
        () -> hanging.waiting.get() == WitnessRounds.THREADS,
        "every witness thread waits on a hanging peer");

    CountDownLatch pushed = new CountDownLatch(1);
    scheduler.execute(pushed::countDown);
    assertTrue(pushed.await(WAIT_SECONDS, TimeUnit.SECONDS), "a push runs while the rounds hang");
    assertEquals(WitnessRounds.THREADS, hanging.waiting.get(), "no more rounds than threads");

    hanging.release.countDown();
    for (int i = 0; i < peers; i++) {
      String peer = PEERS.get(i) + "/op";
      // a round records its outcome after its call; the rounds that follow signal again
      hanging.calls.await(
          WAIT,
          () -> metrics.witnessedCount(peer, "nothing_to_cosign") >= 1,
          peer + " was witnessed once released");
    }
    assertEquals(WitnessRounds.THREADS, hanging.mostAtOnce.get());

    jobs.forEach(WitnessJob::stop);
    rounds.close();
    assertTrue(rounds.awaitTermination(WAIT), "the witness threads end with the node");
  }

  @Test
  void closingInterruptsARoundThatHangsAndEndsTheThreads() throws Exception {
    WitnessRounds rounds = new WitnessRounds("FR", 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    rounds.schedule(
        () -> {
          started.countDown();
          try {
            never.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        },
        1);
    assertTrue(started.await(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(rounds.awaitTermination(Duration.ZERO));
    rounds.close();
    assertTrue(rounds.awaitTermination(WAIT), "no witness thread outlives the node");
  }

  @Test
  void phasesOfManyPeersCoverTheInterval() {
    long interval = 60_000;
    for (double offset : new double[] {0, 0.25, 0.999}) {
      for (int n : new int[] {1, 2, 7, 99, 1_000}) {
        long[] phases = new long[n];
        for (int k = 0; k < n; k++) {
          phases[k] = WitnessRounds.phaseMillis(k, interval, offset);
          assertTrue(phases[k] >= 0 && phases[k] < interval, "within the interval: " + phases[k]);
        }
        Arrays.sort(phases);
        long widest = phases[0] + interval - phases[n - 1]; // around the end of the interval
        for (int k = 1; k < n; k++) {
          widest = Math.max(widest, phases[k] - phases[k - 1]);
        }
        assertTrue(
            widest <= 2.7 * interval / n,
            n + " peers leave a gap of " + widest + " ms of " + interval);
      }
    }
  }

  @Test
  void nodesFollowingTheSamePeerWitnessItAtDifferentPhases() {
    long interval = 60_000;
    Set<Long> first = new HashSet<>();
    String[] countries = Locale.getISOCountries();
    for (int i = 0; i < 100; i++) {
      OperatorIdentity node = new OperatorIdentity(countries[i], "op-" + i);
      first.add(
          WitnessRounds.phaseMillis(0, interval, WitnessRounds.offset(node.toString().hashCode())));
    }
    assertTrue(first.size() >= 90, "100 nodes' first rounds fall on " + first.size() + " phases");
    assertTrue(first.stream().anyMatch(p -> p < interval / 2), "some in the first half");
    assertTrue(first.stream().anyMatch(p -> p >= interval / 2), "some in the second half");
  }
}

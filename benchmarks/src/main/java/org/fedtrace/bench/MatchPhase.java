package org.fedtrace.bench;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.node.Node;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.store.Page;
import org.fedtrace.store.StoredBatch;

/**
 * The match phase of the matching benchmark on one matching thread count: rounds in which the
 * origin pushes batches and the harness times {@link Node#matchStored()}, then the engine alone on
 * the same keys, its derivation alone, and the node's steps around the engine.
 */
final class MatchPhase {
  private final PrintStream out;
  private final CpuMeter meter;
  private final OperatorMatchingOptions options;
  private final OperatorWorkload workload;
  private final BatchFeed feed;
  private final Node node;

  /** The phase on {@code node}, which must run without background work. */
  MatchPhase(
      PrintStream out,
      CpuMeter meter,
      OperatorMatchingOptions options,
      OperatorWorkload workload,
      BatchFeed feed,
      Node node) {
    this.out = out;
    this.meter = meter;
    this.options = options;
    this.workload = workload;
    this.feed = feed;
    this.node = node;
  }

  /**
   * Runs the warm-up and measured rounds with batches pushed on {@code peer}, prints each round and
   * the medians, and returns the summary line.
   */
  String run(ManagedChannel peer, int matchingThreads) throws Exception {
    String load = MachineLoad.loadAverage();
    int warmupRounds = options.warmupRounds();
    out.printf(
        "%nmatch: %d matching thread(s); %d warm-up + %d measured rounds of %d batches of %,d keys"
            + " against %,d observations (load average %s)%n",
        matchingThreads,
        warmupRounds,
        options.rounds(),
        options.batchesPerRound(),
        options.keysPerBatch(),
        options.observations(),
        load);
    List<MatchRound> measured = new ArrayList<>();
    try (Matcher engine = Matcher.create(matchingThreads, ProbeMode.DIRECT, RiskModel.DEFAULT)) {
      for (int r = 0; r < warmupRounds + options.rounds(); r++) {
        MatchRound round = round(peer, engine);
        boolean warm = r < warmupRounds;
        if (!warm) {
          measured.add(round);
        }
        print(round, warm ? "warm-up" : "round", warm ? r + 1 : r - warmupRounds + 1);
      }
    }
    return new MatchReport(out, options).report(matchingThreads, measured, load);
  }

  private void print(MatchRound round, String kind, int number) {
    out.printf(
        "  %s %d: node %.1f M RPIs/s (%.2f CPU-s, GC pauses %d ms), engine alone %.1f M"
            + " (%.2f CPU-s, GC pauses %d ms), derive only %.1f M; node = %.1f %% of the"
            + " engine%n",
        kind,
        number,
        round.rpis / round.nodeSeconds / 1e6,
        round.nodeCpu,
        round.nodeGcMillis,
        round.rpis / round.engineSeconds / 1e6,
        round.engineCpu,
        round.engineGcMillis,
        round.rpis / round.deriveSeconds / 1e6,
        100 * round.engineSeconds / round.nodeSeconds);
  }

  private MatchRound round(ManagedChannel peer, Matcher engine) throws Exception {
    List<Integer> ids = feed.pushNext(peer, options.batchesPerRound());
    final long cursor = node.store().read(tx -> tx.operator().matchCursor());
    MatchRound r = new MatchRound();
    timeNode(ids.size(), r);
    timeEngine(engine, ids, r);
    stages(cursor, ids.size(), r);
    return r;
  }

  /** Times {@link Node#matchStored()}: the node reads, parses, matches and commits the batches. */
  private void timeNode(int batches, MatchRound r) {
    long gc = gcMillis();
    CpuMeter.Snapshot before = meter.snapshot();
    int matched = node.matchStored();
    CpuMeter.Snapshot after = meter.snapshot();
    r.nodeGcMillis = gcMillis() - gc;
    if (matched != batches) {
      throw new IllegalStateException(
          "the node matched " + matched + " batches, " + batches + " were pushed");
    }
    r.nodeSeconds = (after.wallNanos() - before.wallNanos()) / 1e9;
    r.nodeCpu = CpuMeter.seconds(before, after).get("process");
  }

  /** Times the engine alone on the same keys, then its derivation alone, and checks its results. */
  private void timeEngine(Matcher engine, List<Integer> ids, MatchRound r) {
    List<MatchResult> results = new ArrayList<>();
    long gc = gcMillis();
    CpuMeter.Snapshot before = meter.snapshot();
    for (int id : ids) {
      results.add(engine.match(workload.index(), workload.batches().get(id).keys()));
    }
    CpuMeter.Snapshot after = meter.snapshot();
    r.engineGcMillis = gcMillis() - gc;
    r.engineSeconds = (after.wallNanos() - before.wallNanos()) / 1e9;
    r.engineCpu = CpuMeter.seconds(before, after).get("process");
    long t0 = System.nanoTime();
    for (int id : ids) {
      engine.deriveOnly(workload.batches().get(id).keys());
    }
    r.deriveSeconds = (System.nanoTime() - t0) / 1e9;
    for (int i = 0; i < ids.size(); i++) {
      workload.checkEngine(ids.get(i), results.get(i));
      r.rpis += workload.batches().get(ids.get(i)).rpis();
    }
  }

  /** Milliseconds the collectors have spent so far (their pauses, on the default G1 collector). */
  private static long gcMillis() {
    long ms = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ms += Math.max(0, gc.getCollectionTime());
    }
    return ms;
  }

  /**
   * The node's steps around the engine, timed again on this thread: reading the round's stored
   * batches (one query, as the node reads a page of up to 16), parsing them, and building the
   * engine's key columns. What the node took beyond these and the engine is its commit and the
   * rest.
   */
  private void stages(long cursor, int batches, MatchRound r)
      throws InvalidProtocolBufferException {
    long t0 = System.nanoTime();
    Page page = node.store().read(tx -> tx.batches().withKeysAfter(cursor, batches));
    long t1 = System.nanoTime();
    List<DiagnosisKeyBatch> parsed = new ArrayList<>();
    for (StoredBatch b : page.batches()) {
      parsed.add(DiagnosisKeyBatch.parseFrom(b.payload()));
    }
    long t2 = System.nanoTime();
    long keys = 0;
    for (DiagnosisKeyBatch b : parsed) {
      keys += KeyBatch.fromProto(b.getKeysList()).size();
    }
    long t3 = System.nanoTime();
    if (page.batches().size() != batches || keys != (long) batches * options.keysPerBatch()) {
      throw new IllegalStateException("the stage profile read other batches than the round's");
    }
    r.readSeconds = (t1 - t0) / 1e9;
    r.parseSeconds = (t2 - t1) / 1e9;
    r.keyBatchSeconds = (t3 - t2) / 1e9;
  }
}

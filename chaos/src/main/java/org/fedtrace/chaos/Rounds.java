package org.fedtrace.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One round: audit every node (the checkpoint before the fault), inject the fault under load, wait
 * until every node holds everything acknowledged before the repair began (the time to recover),
 * then pause the publishers, let the federation settle and check every invariant.
 */
final class Rounds {
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);

  private final Cluster cluster;
  private final Ledger ledger;
  private final Inspector inspector;
  private final Load load;
  private final Faults faults;

  Rounds(Cluster cluster, Ledger ledger, Inspector inspector, Load load, Faults faults) {
    this.cluster = cluster;
    this.ledger = ledger;
    this.inspector = inspector;
    this.load = load;
    this.faults = faults;
  }

  void run(int round, FaultKind kind, NodeProcess victim, Tally tally, PrintStream out, int total)
      throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    for (NodeProcess n : cluster.nodes()) {
      failures.addAll(inspector.audit(n.country()));
    }
    Faults.Injected fault = faults.inject(kind, victim);
    failures.addAll(fault.failures());
    Ledger.Mark mark = ledger.mark();
    long recovered = -1;
    if (awaitHeld(mark, 0, false, failures)) {
      recovered = (System.nanoTime() - fault.repairedNanos()) / 1_000_000;
    } else {
      failures.add(
          "round "
              + round
              + ": the nodes did not hold what they acknowledged within "
              + CONVERGE_TIMEOUT.toSeconds()
              + " s of the repair");
    }
    Tally.Check check = settleAndCheck(failures);
    tally.round(kind, recovered, check, failures);
    out.printf(
        "round %d%s  %-13s %s; recovered in %s; uploads %d, batches %d; lost %d+%d, dup %d,"
            + " gaps %d, cursor %d, audits %s%s%n",
        round,
        total == Integer.MAX_VALUE ? "" : "/" + total,
        kind.label(),
        fault.what(),
        recovered < 0 ? "NEVER" : String.format("%.1f s", recovered / 1000.0),
        check.uploads(),
        check.batches(),
        check.lostUploads(),
        check.lostBatches(),
        check.duplicates(),
        check.gaps(),
        check.cursor(),
        check.audits() == 0 ? "ok" : check.audits() + " FAILED",
        failures.isEmpty() ? "" : "  *** " + failures.size() + " failure(s)");
    out.flush();
  }

  /**
   * Pauses the publishers, waits until every node holds everything acknowledged and its subscriber
   * has caught up, then checks each node from the start of its store and audits it.
   */
  Tally.Check settleAndCheck(List<String> failures) {
    load.pause();
    try {
      Ledger.Mark mark = ledger.mark();
      long settled = System.nanoTime();
      if (!awaitHeld(mark, settled, true, failures)) {
        StringBuilder state = new StringBuilder();
        for (NodeProcess n : cluster.nodes()) {
          state.append("\n    ").append(load.follower(n.country()).describe());
        }
        failures.add(
            "the nodes did not settle within " + CONVERGE_TIMEOUT.toSeconds() + " s:" + state);
      }
      Ledger.Mark all = ledger.mark();
      int lostUploads = 0;
      int lostBatches = 0;
      int duplicates = 0;
      int gaps = 0;
      int cursor = 0;
      int audits = 0;
      for (NodeProcess n : cluster.nodes()) {
        String c = n.country();
        Holdings held = inspector.readAll(c);
        Ledger.Missing missing = ledger.missing(held, all);
        lostUploads += missing.uploads();
        lostBatches += missing.batches();
        duplicates += held.duplicateBatches() + held.duplicateKeys();
        gaps += held.sequenceGaps();
        Load.Follower f = load.follower(c);
        int skipped = held.differences(f.held) + f.held.duplicateBatches();
        cursor += skipped;
        if (!missing.none() || skipped > 0 || held.sequenceGaps() > 0) {
          failures.add(
              String.format(
                  "node %s: %d acknowledged uploads and %d batches missing, %d sequence gaps,"
                      + " %d batches its subscriber's cursor skipped or received twice",
                  c, missing.uploads(), missing.batches(), held.sequenceGaps(), skipped));
        }
        List<String> audit = inspector.audit(c);
        audits += audit.size();
        failures.addAll(audit);
      }
      return new Tally.Check(
          all.uploads(),
          all.batches().size(),
          lostUploads,
          lostBatches,
          duplicates,
          gaps,
          cursor,
          audits);
    } finally {
      load.resume();
    }
  }

  /**
   * Waits until every node's subscriber holds everything in {@code mark}; with {@code settle}, also
   * until the subscribers hold as many batches as each other and caught up after {@code since}.
   * Restarts a node that died meanwhile (a failure).
   */
  private boolean awaitHeld(Ledger.Mark mark, long since, boolean settle, List<String> failures) {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      restartDead(failures);
      boolean held = true;
      int size = -1;
      for (NodeProcess n : cluster.nodes()) {
        Load.Follower f = load.follower(n.country());
        if (!ledger.missing(f.held, mark).none()) {
          held = false;
        }
        if (settle) {
          held &= f.caughtUpNanos > since && (size < 0 || size == f.held.size());
          size = f.held.size();
        }
      }
      if (held) {
        return true;
      }
      NodeProcess.sleep(50);
    }
    return false;
  }

  private void restartDead(List<String> failures) {
    for (NodeProcess n : cluster.nodes()) {
      if (!n.alive()) {
        failures.add("node " + n.country() + " " + n.exitDescription() + ":\n" + n.logTail());
        try {
          n.start(n.skewSeconds());
        } catch (IOException | RuntimeException e) {
          throw new IllegalStateException("cannot restart node " + n.country() + ": " + e, e);
        }
      }
    }
  }
}

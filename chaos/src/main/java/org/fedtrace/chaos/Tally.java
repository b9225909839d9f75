package org.fedtrace.chaos;

import io.grpc.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** The run's figures: what each round did and found, and the summary table at the end. */
final class Tally {
  private final Map<FaultKind, Integer> faults = new EnumMap<>(FaultKind.class);
  private final Map<FaultKind, List<Long>> recoveryMillis = new EnumMap<>(FaultKind.class);
  private final List<String> failures = new ArrayList<>();
  private int rounds;
  private int failedRounds;
  private int refusedStores;
  private int auditFailures;
  private int cursorInconsistencies;
  private Check last = new Check(0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * What the check after a round found, summed over the nodes.
   *
   * @param uploads acknowledged uploads checked
   * @param batches acknowledged batches checked
   * @param lostUploads acknowledged uploads missing from some node (counted once per node)
   * @param lostBatches acknowledged batches missing from some node (counted once per node)
   * @param duplicates batches or keys a node serves twice
   * @param gaps sequence numbers missing below an origin's highest
   * @param cursor batches a subscriber's cursor skipped or received twice
   * @param audits audit failures
   */
  record Check(
      int uploads,
      int batches,
      int lostUploads,
      int lostBatches,
      int duplicates,
      int gaps,
      int cursor,
      int audits) {
    boolean clean() {
      return lostUploads + lostBatches + duplicates + gaps + cursor + audits == 0;
    }
  }

  /** Records a round: its fault, its recovery time (negative: did not recover) and its check. */
  void round(FaultKind kind, long recoveredMillis, Check check, List<String> roundFailures) {
    rounds++;
    faults.merge(kind, 1, Integer::sum);
    if (recoveredMillis >= 0) {
      recoveryMillis.computeIfAbsent(kind, k -> new ArrayList<>()).add(recoveredMillis);
    }
    if (kind == FaultKind.DAMAGE && roundFailures.isEmpty()) {
      refusedStores++;
    }
    auditFailures += check.audits();
    cursorInconsistencies += check.cursor();
    last = check;
    if (!check.clean() || !roundFailures.isEmpty() || recoveredMillis < 0) {
      failedRounds++;
    }
    failures.addAll(roundFailures);
  }

  /** Records a failure outside a round's check. */
  void failure(String text) {
    failures.add(text);
  }

  boolean passed() {
    return failedRounds == 0 && failures.isEmpty() && last.clean();
  }

  List<String> failures() {
    return Collections.unmodifiableList(failures);
  }

  /** Prints the summary table. */
  void print(PrintStream out, ChaosOptions o, Duration took, Map<Status.Code, AtomicLong> refused) {
    List<Long> all = new ArrayList<>();
    recoveryMillis.values().forEach(all::addAll);
    out.printf(
        "%nchaos summary: seed %d, %d nodes, %d rounds in %s%n",
        o.seed(), o.nodes(), rounds, format(took));
    row(out, "rounds", rounds + (failedRounds > 0 ? " (" + failedRounds + " failed)" : ""));
    for (FaultKind k : FaultKind.values()) {
      List<Long> r = recoveryMillis.getOrDefault(k, List.of());
      row(
          out,
          "  " + k.label(),
          faults.getOrDefault(k, 0)
              + (r.isEmpty()
                  ? ""
                  : "   recovered p50 " + seconds(r, 50) + ", max " + seconds(r, 100))
              + (k == FaultKind.DAMAGE ? "   refused with a clear error: " + refusedStores : ""));
    }
    row(out, "uploads acknowledged", String.valueOf(last.uploads()));
    row(
        out,
        "uploads not acknowledged",
        refused.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ", "", ""))
            + "   (owed nothing)");
    row(out, "batches acknowledged", String.valueOf(last.batches()));
    row(out, "acknowledged uploads lost", String.valueOf(last.lostUploads()));
    row(out, "acknowledged batches lost", String.valueOf(last.lostBatches()));
    row(out, "duplicates", String.valueOf(last.duplicates()));
    row(out, "sequence gaps", String.valueOf(last.gaps()));
    row(out, "cursor inconsistencies", String.valueOf(cursorInconsistencies));
    row(out, "log verification failures", String.valueOf(auditFailures));
    row(
        out,
        "time to recover",
        all.isEmpty() ? "-" : "p50 " + seconds(all, 50) + ", max " + seconds(all, 100));
    row(out, "result", passed() ? "PASS" : "FAIL");
  }

  private static void row(PrintStream out, String name, String value) {
    out.printf("  %-28s %s%n", name, value);
  }

  /** The {@code p}th percentile (nearest rank) of {@code millis}, in seconds. */
  static String seconds(List<Long> millis, int p) {
    List<Long> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    long v = sorted.get(Math.max(0, rank - 1));
    return String.format("%.1f s", v / 1000.0);
  }

  static String format(Duration d) {
    return d.toMinutes() + "m" + String.format("%02d", d.toSecondsPart()) + "s";
  }
}

package org.fedtrace.sim.metrics;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.Consents;
import org.fedtrace.sim.Outcome;
import org.fedtrace.sim.metrics.privacy.TekLinkage;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.report.Sharing;

/**
 * The {@link Sharing} figures of a federated run: what stayed domestic, what an interest filter
 * would save and lose, who declining notified, and what visited countries add to a curious node's
 * linkage (federation-sim/README.md defines each).
 */
final class SharingMeasure {
  private SharingMeasure() {}

  /**
   * The figures of {@code o}.
   *
   * @param link a key as the curious node sees it without visited countries
   * @param linkage the linkage advantage computed with {@code link}
   */
  static Sharing of(Outcome o, Function<DiagnosisKey, TekLinkage.LinkKey> link, double linkage) {
    Consents c = o.consents();
    Population population = o.population();
    Set<ByteString> domestic = c.domesticKeys();
    long inBatches = 0;
    for (DiagnosisKeyBatch b : o.published()) {
      for (DiagnosisKey k : b.getKeysList()) {
        inBatches += domestic.contains(k.getKeyData()) ? 1 : 0;
      }
    }
    long[] pairs = new long[5]; // federating domestic, cross; declined domestic, cross; non-trav.
    o.notifications()
        .forEachPair(
            (agent, indexCase, hour) -> {
              boolean cross = population.home(agent) != population.home(indexCase);
              int at = (c.declined(indexCase) ? 2 : 0) + (cross ? 1 : 0);
              pairs[at]++;
              if (cross && !c.declined(indexCase) && !c.traveller(indexCase)) {
                pairs[4]++;
              }
            });
    long uploads = o.truth().uploads().size();
    long federating = uploads - c.declinedCount();
    double perNodeDay = (double) population.countries() * o.scenario().days();
    double all = c.receivedBytes() / perNodeDay;
    double travellers = c.travellerBytes() / perNodeDay;
    return new Sharing(
        uploads,
        c.declinedCount(),
        c.travellerCount(),
        domestic.size(),
        c.domesticKeyBytes(),
        inBatches,
        all,
        travellers,
        all == 0 ? 0 : 1 - travellers / all,
        pairs[0],
        pairs[1],
        pairs[2],
        pairs[3],
        federating == 0 ? 0 : (double) c.declinedCount() * pairs[1] / federating,
        pairs[4],
        linkage,
        withVisited(o.published(), link).advantage());
  }

  /**
   * {@link TekLinkage} when the curious node also looks at the visited countries: among the
   * candidates it would take without them, it guesses among those that list the same set as the key
   * (the empty set included), or among all of them when none does. Chance is {@link TekLinkage}'s:
   * the visited countries do not change the pool of a blind guess.
   */
  static TekLinkage.Result withVisited(
      List<DiagnosisKeyBatch> batches, Function<DiagnosisKey, TekLinkage.LinkKey> link) {
    Map<List<String>, Integer> sets = new HashMap<>();
    List<TekLinkage.Unit> units = new ArrayList<>();
    List<int[]> visited = new ArrayList<>();
    Set<List<Object>> published = new HashSet<>();
    for (DiagnosisKeyBatch b : batches) {
      List<TekLinkage.LinkKey> keys = new ArrayList<>();
      int[] v = new int[b.getKeysCount()];
      for (int i = 0; i < v.length; i++) {
        DiagnosisKey k = b.getKeys(i);
        List<String> set = k.getVisitedCountriesList().stream().sorted().toList();
        v[i] = sets.computeIfAbsent(set, x -> sets.size());
        TekLinkage.LinkKey l = link.apply(k);
        keys.add(l);
        if (l.owner() >= 0) {
          published.add(List.of(b.getOrigin(), l.owner(), l.day()));
        }
      }
      units.add(new TekLinkage.Unit(b.getOrigin(), keys));
      visited.add(v);
    }
    TekLinkage.Result plain = TekLinkage.of(units);
    double success = 0;
    for (int u = 0; u < units.size(); u++) {
      TekLinkage.Unit unit = units.get(u);
      for (int i = 0; i < unit.keys().size(); i++) {
        TekLinkage.LinkKey k = unit.keys().get(i);
        if (k.owner() >= 0 && published.contains(List.of(unit.origin(), k.owner(), k.day() - 1))) {
          success += guess(unit.keys(), visited.get(u), i);
        }
      }
    }
    if (plain.linkableKeys() == 0) {
      return plain;
    }
    double mean = success / plain.linkableKeys();
    return new TekLinkage.Result(plain.linkableKeys(), mean, plain.chance(), mean - plain.chance());
  }

  /** The success of guessing key {@code i}'s predecessor, preferring the same visited set. */
  private static double guess(List<TekLinkage.LinkKey> keys, int[] visited, int i) {
    TekLinkage.LinkKey k = keys.get(i);
    int all = 0;
    int same = 0;
    boolean truthAll = false;
    boolean truthSame = false;
    for (int j = 0; j < keys.size(); j++) {
      TekLinkage.LinkKey c = keys.get(j);
      long tag = c.tag();
      if (c.day() == k.day() - 1 && Arrays.stream(k.predecessorTags()).anyMatch(t -> t == tag)) {
        boolean truth = c.owner() == k.owner();
        all++;
        truthAll |= truth;
        if (visited[j] == visited[i]) {
          same++;
          truthSame |= truth;
        }
      }
    }
    if (same > 0) {
      return truthSame ? 1.0 / same : 0;
    }
    return truthAll ? 1.0 / all : 0;
  }
}

package org.fedtrace.sim.counterfactual;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.Baselines;
import org.fedtrace.sim.scenario.Scenario;

/**
 * Tracing by where people were. Central: at a reporting person's report hour, everybody who was at
 * the same place in the same hour on a covered day ({@code retention_days}) is notified, as the
 * central tracker sees every visit. Camera: only places with a camera ({@code camera_place_share})
 * count, a face is recognised unless the false non-match draw says otherwise (masked faces, a share
 * {@code camera_mask_share} of visits, at the masked rate), and the search for the index case's
 * face among all faces the cameras saw on the covered days also returns false matches, a Poisson
 * number with mean faces times {@code camera_false_match_rate}; each false match puts the index
 * case where the matched face was, and everybody recognised there is notified too.
 */
final class PlaceTracer extends Tracer {
  private static final long CAMERA = 60;
  private static final long SEEN = 61;
  private static final long MASK = 62;
  private static final long FALSE = 63;
  private final boolean camera;
  private final Baselines b;
  private final BitSet seen = new BitSet();
  private final List<int[]> watched = new ArrayList<>();
  private long falseMatches;

  PlaceTracer(
      Scenario s,
      Population population,
      History history,
      Epidemic epidemic,
      Reaction reaction,
      boolean camera) {
    super(s, population, history, epidemic, reaction);
    this.camera = camera;
    this.b = s.baselines();
  }

  @Override
  int triggerHour(int a) {
    return epidemic.reportHour(a);
  }

  @Override
  void trace(int a, int hour, Notifier out) {
    DayVisits v0 = history.day(0).visits();
    int first = firstDay(hour, s.federation().retentionDays());
    int last = Math.min(hour / 24, history.size() - 1);
    for (int d = first; d <= last; d++) {
      DayVisits v = history.day(d).visits();
      for (int k = 0; k < v0.perAgent(); k++) {
        int ph = v.visit(a, k);
        int at = d * 24 + (ph == DayVisits.NO_VISIT ? 0 : DayVisits.hour(ph));
        if (ph != DayVisits.NO_VISIT && at < hour && recognised(a, ph, at)) {
          notifyGroup(d, ph, hour, out);
        }
      }
    }
    if (camera && last >= first) {
      searchFaces(a, first, last, hour, out);
    }
  }

  private void searchFaces(int a, int first, int last, int hour, Notifier out) {
    long faces = 0;
    for (int d = first; d <= last; d++) {
      faces += watched(d).length;
    }
    SplittableRandom r = Draws.random(s.seed(), FALSE, a, hour);
    int count = Draws.poisson(r, faces * b.cameraFalseMatchRate());
    for (int m = 0; m < count; m++) {
      long pick = (long) (r.nextDouble() * faces);
      int d = first;
      while (pick >= watched(d).length) {
        pick -= watched(d).length;
        d++;
      }
      int slot = watched(d)[(int) pick];
      DayVisits v = history.day(d).visits();
      int ph = v.visit(slot / v.perAgent(), slot % v.perAgent());
      int at = d * 24 + DayVisits.hour(ph);
      if (at < hour && reaction.isOut(slot / v.perAgent(), at)) {
        falseMatches++;
        notifyGroup(d, ph, hour, out);
      }
    }
  }

  private void notifyGroup(int d, int ph, int hour, Notifier out) {
    DayVisits.Gatherings g = history.day(d).gatherings();
    int at = d * 24 + DayVisits.hour(ph);
    for (int j = g.start()[ph]; j < g.start()[ph + 1]; j++) {
      int x = g.members()[j];
      if (recognised(x, ph, at)) {
        out.notifyAt(x, hour);
      }
    }
  }

  /** Whether the scheme sees {@code x} at place-hour {@code ph}, simulated hour {@code at}. */
  private boolean recognised(int x, int ph, int at) {
    if (!reaction.isOut(x, at)) {
      return false;
    }
    if (!camera) {
      return true;
    }
    if (!hasCamera(DayVisits.place(ph))) {
      return false;
    }
    boolean masked = Draws.uniform(s.seed(), MASK, x, at) < b.cameraMaskShare();
    double fnmr = masked ? b.cameraMaskedFalseNonMatchRate() : b.cameraFalseNonMatchRate();
    return Draws.uniform(s.seed(), SEEN, x, at) >= fnmr;
  }

  private boolean hasCamera(int place) {
    return Draws.uniform(s.seed(), CAMERA, place, 0) < b.cameraPlaceShare();
  }

  /** Visit slots ({@code person * perAgent + k}) of day {@code d} at places with a camera. */
  private int[] watched(int d) {
    while (watched.size() <= d) {
      watched.add(null);
    }
    if (watched.get(d) == null) {
      DayVisits v = history.day(d).visits();
      int[] out = new int[16];
      int n = 0;
      for (int a = 0; a < v.agents(); a++) {
        for (int k = 0; k < v.perAgent(); k++) {
          int ph = v.visit(a, k);
          if (ph != DayVisits.NO_VISIT && hasCamera(DayVisits.place(ph))) {
            if (n == out.length) {
              out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = a * v.perAgent() + k;
          }
        }
      }
      watched.set(d, Arrays.copyOf(out, n));
    }
    return watched.get(d);
  }

  /** Records who the scheme saw on {@code d}, once the day's presence is known. */
  @Override
  void observe(int d) {
    DayVisits v = history.day(d).visits();
    for (int a = 0; a < v.agents(); a++) {
      for (int k = 0; k < v.perAgent(); k++) {
        int ph = v.visit(a, k);
        if (ph != DayVisits.NO_VISIT && recognised(a, ph, d * 24 + DayVisits.hour(ph))) {
          seen.set(a);
        }
      }
    }
  }

  @Override
  long learnedAbout(BitSet indexCases) {
    return seen.cardinality();
  }

  @Override
  long falseMatches() {
    return falseMatches;
  }
}

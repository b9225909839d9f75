package org.fedtrace.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.sim.devices.HeardLog;
import org.fedtrace.sim.devices.Teks;
import org.fedtrace.sim.matching.Exposure;
import org.fedtrace.sim.matching.ExposureMatcher;
import org.fedtrace.sim.matching.ObservationIndex;
import org.fedtrace.sim.matching.Observations;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * Device-mode matching at scale: what the phones of one country find in the keys that reached them,
 * computed without an index of every RPI every phone heard.
 *
 * <p>A phone finds an exposure on a key when an RPI it heard equals one of the key's RPIs. The RPIs
 * a phone heard are those of the people it met; two different keys give the same RPI only by a
 * 2^-128 accident, so only the observations of a key's owner, made during the contacts of the key's
 * day, can match it. For each batch of keys this class therefore looks up each key's owner on the
 * simulator's side (ground truth, never sent to a node), takes that person's rows of that day from
 * the {@link HeardLog} (those heard by residents of the country), derives the RPIs those phones
 * heard from the owner's key of the day, puts them in a small index and lets the matcher derive the
 * keys' RPIs and match as before. Keys nobody uploaded (padding, decoys) and keys whose owner no
 * phone of the country heard are left out: their RPIs match nothing by the same argument. The
 * exposures equal those of an index of every observation (the matcher orders them by device and
 * key, and the candidate rows keep their order), so the figures of a seed do not change; the index
 * is small and built only when a key can match.
 */
final class PhoneMatching {
  private final Population population;
  private final Teks teks;
  private final GroundTruth truth;
  private final ExposureMatcher matcher;
  private final HeardLog log;

  PhoneMatching(Population population, Teks teks, GroundTruth truth, ExposureMatcher matcher) {
    this.population = population;
    this.teks = teks;
    this.truth = truth;
    this.matcher = matcher;
    this.log = new HeardLog(population.size());
  }

  /** The log the phones' daily observations go to. */
  HeardLog log() {
    return log;
  }

  /**
   * The exposures {@code keys} cause among the phones of country {@code c}; the same as {@link
   * ExposureMatcher#match} over an index of everything those phones heard and kept.
   */
  List<Exposure> match(int c, List<DiagnosisKey> keys) {
    Candidates found = new Candidates();
    Map<Long, Boolean> heard = new HashMap<>(); // per key, not per contact
    List<DiagnosisKey> matchable = new ArrayList<>();
    for (DiagnosisKey k : keys) {
      GroundTruth.KeyOwner owner = truth.owner(k.getKeyData());
      if (owner == null) {
        continue; // padding or decoy: 16 random bytes, whose RPIs nobody heard
      }
      long id = ((long) owner.day() << 32) | owner.agent();
      Boolean any = heard.get(id);
      if (any == null) {
        any = found.addRowsOf(owner.agent(), owner.day(), c);
        heard.put(id, any);
      }
      if (any) {
        matchable.add(k);
      }
    }
    if (matchable.isEmpty()) {
      return List.of();
    }
    ObservationIndex index = matcher.newIndex(population.code(c));
    index.add(found.observations());
    return matcher.match(index, matchable);
  }

  /** Candidate rows under construction, with the RPIs their phones heard. */
  private final class Candidates {
    final TokenDeriver deriver = TokenDeriver.create();
    final byte[] range = new byte[TokenDeriver.MAX_ROLLING_PERIOD * TokenDeriver.TOKEN_LENGTH];
    int size;
    byte[] rpis = new byte[16 * 64];
    int[] intervals = new int[64];
    int[] agents = new int[64];
    byte[] minutes = new byte[64];
    byte[] attenuation = new byte[64];

    /** Adds the rows of {@code heard} on {@code day} heard by residents of {@code c}. */
    boolean addRowsOf(int heard, int day, int c) {
      int before = size;
      log.forEach(
          heard,
          day,
          (interval, observer, minutes, db) -> {
            if (population.home(observer) == c) {
              add(interval, observer, minutes, db);
            }
          });
      if (size == before) {
        return false;
      }
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      for (int i = before; i < size; i++) {
        first = Math.min(first, intervals[i]);
        last = Math.max(last, intervals[i]);
      }
      deriver.deriveRpis(teks.tek(heard, day), first, last - first + 1, range, 0);
      for (int i = before; i < size; i++) {
        System.arraycopy(range, (intervals[i] - first) * 16, rpis, 16 * i, 16);
      }
      return true;
    }

    private void add(int interval, int observer, int heardMinutes, int db) {
      if (size == intervals.length) {
        int n = size * 2;
        rpis = Arrays.copyOf(rpis, 16 * n);
        intervals = Arrays.copyOf(intervals, n);
        agents = Arrays.copyOf(agents, n);
        minutes = Arrays.copyOf(minutes, n);
        attenuation = Arrays.copyOf(attenuation, n);
      }
      intervals[size] = interval;
      agents[size] = observer;
      minutes[size] = (byte) heardMinutes;
      attenuation[size] = (byte) db;
      size++;
    }

    Observations observations() {
      return new Observations(size, rpis, intervals, agents, minutes, attenuation);
    }
  }
}

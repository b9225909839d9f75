package org.fedtrace.sim;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.sim.devices.Sightings;
import org.fedtrace.sim.federation.Federation;
import org.fedtrace.sim.population.Population;

/**
 * The operators' backends in operator-assisted matching (spec §15). Every app user opted in: their
 * phone drew a random 16-byte device key, and hands what it heard to its operator's backend at its
 * polls ({@link Polls}; the poll at hour p carries what was heard before p). The backend deposits
 * it at the phone's home node (DepositObservations, as the country's operator, one call per phone
 * and poll) and asks the node for the phone's exposures (GetExposures). The nodes match; a person
 * is notified of every exposure their node marks notified when the backend asks for it, at the
 * phone's polls, and reacts from then on (quarantine and tests, as in device mode). The backend
 * asks for every phone with deposits at its polls, before a node's daily purge for the phones whose
 * deposits the purge deletes (the exposures found with them go too, R15.22), and at the end of the
 * run.
 *
 * <p>Only observations that can ever match are deposited: those of an RPI whose key is uploaded
 * during the run (the uploader's keys of the days uploaded, up to the upload time). Each goes at
 * the observer's first poll after it was heard, or at the upload when that comes later. A node
 * matches an observation with the batches it stores after the deposit (R15.16), and no node stores
 * a key before it is uploaded, so the nodes find exactly the exposures they would find if every
 * observation were deposited at its poll; the others would never match anything. (Depositing all of
 * them, 5.8 million in the default run in 1.3 million calls, would take minutes.) Which person
 * heard whom is ground truth the backends use only for this choice.
 *
 * <p>A phone keeps one observation per RPI and interval: when two contacts with the same person
 * overlap an interval, their minutes add up (at most ten) and the attenuation is their mean
 * weighted by minutes.
 *
 * <p>An exposure names its origin, not its key, so the index case behind it (ground truth, for the
 * latency figures) is found among the people the phone heard: the uploader whose deposited
 * observations of one day hold the exposure's intervals with its total duration.
 */
final class OperatorBackends {
  private static final int MAX_OBSERVATIONS_PER_CALL = 10_000;
  private static final int MAX_SECONDS_PER_INTERVAL = 600;
  private static final int INTERVALS_PER_DAY = 144;
  private static final int INTERVALS_PER_HOUR = 6;

  private final Population population;
  private final Federation federation;
  private final Notifications notifications;
  private final Polls polls;
  private final Instant start;

  /** Exposures already noticed, with their phone: one found as a fetch ran comes again. */
  private final Set<List<Object>> noticed = new HashSet<>();

  private final int dayZeroEnin;
  private final int retentionDays;
  private final SecureRandom random = new SecureRandom();
  private final ByteString[] deviceKeys;
  private final Map<Integer, Sightings> days = new HashMap<>();
  private final TreeMap<Integer, List<Due>> due = new TreeMap<>();
  private final TreeMap<Integer, TreeMap<Long, Integer>> deposited = new TreeMap<>();
  private final Map<Integer, Long> lastFetchSeconds = new HashMap<>();

  /** An observation to deposit: row {@code row} of day {@code day}, which heard {@code subject}. */
  private record Due(int subject, int day, int row) {}

  /** Rows of one phone, RPI and interval, merged into one observation. */
  private static final class Merged {
    final Sightings sightings;
    final int row;
    int seconds;
    long secondsTimesDb;

    Merged(Sightings sightings, int row) {
      this.sightings = sightings;
      this.row = row;
    }

    void add(int rowSeconds, int db) {
      seconds += rowSeconds;
      secondsTimesDb += (long) rowSeconds * db;
    }
  }

  /** The observations a phone deposited of one person on one day, at an exposure's intervals. */
  private static final class Group {
    final int subject;
    final int day;
    int covered;
    long seconds;

    Group(int subject, int day) {
      this.subject = subject;
      this.day = day;
    }
  }

  OperatorBackends(
      Population population,
      Federation federation,
      Notifications notifications,
      Polls polls,
      Instant start,
      int retentionDays) {
    this.population = population;
    this.federation = federation;
    this.notifications = notifications;
    this.polls = polls;
    this.start = start;
    this.dayZeroEnin = (int) (start.getEpochSecond() / 600);
    this.retentionDays = retentionDays;
    this.deviceKeys = new ByteString[population.size()];
  }

  /** What the phones heard on a day; days an upload can no longer cover are forgotten. */
  void heard(Sightings day) {
    days.put(day.day(), day);
    days.keySet().removeIf(d -> d < day.day() - retentionDays);
  }

  /**
   * {@code agent} uploaded {@code keys} (by key day) at {@code hour}: the observations of their
   * RPIs become due at their observer's next poll, or now.
   */
  void uploaded(int agent, int hour, Map<Integer, DiagnosisKey> keys) {
    for (Map.Entry<Integer, DiagnosisKey> e : keys.entrySet()) {
      Sightings s = days.get(e.getKey());
      if (s == null) {
        continue;
      }
      DiagnosisKey k = e.getValue();
      long end = Integer.toUnsignedLong(k.getRollingStartIntervalNumber()) + k.getRollingPeriod();
      for (int row = s.first(agent); row < s.end(agent); row++) {
        if (s.interval(row) < end) {
          int heardHour = Math.floorDiv(s.interval(row) - dayZeroEnin, INTERVALS_PER_HOUR);
          int poll = polls.next(s.observer(row), heardHour + 1);
          due.computeIfAbsent(Math.max(poll, hour), h -> new ArrayList<>())
              .add(new Due(agent, s.day(), row));
        }
      }
    }
  }

  /** Deposits what is due at {@code hour}, one call per phone (split at 10,000 observations). */
  void deposit(int hour, Instant now) {
    SortedMap<Integer, List<Due>> dueNow = due.headMap(hour, true);
    TreeMap<Integer, TreeMap<Long, Merged>> byPhone = new TreeMap<>();
    for (List<Due> rows : dueNow.values()) {
      for (Due d : rows) {
        Sightings s = days.get(d.day());
        Merged m =
            byPhone
                .computeIfAbsent(s.observer(d.row()), a -> new TreeMap<>())
                .computeIfAbsent(
                    observed(d.subject(), s.interval(d.row())), x -> new Merged(s, d.row()));
        m.add(60 * s.minutes(d.row()), s.attenuationDb(d.row()));
      }
    }
    dueNow.clear();
    long windowStart = windowStart(now);
    List<Federation.Deposit> deposits = new ArrayList<>();
    for (Map.Entry<Integer, TreeMap<Long, Merged>> phone : byPhone.entrySet()) {
      int agent = phone.getKey();
      List<Observation> list = new ArrayList<>();
      for (Map.Entry<Long, Merged> e : phone.getValue().entrySet()) {
        Merged m = e.getValue();
        int interval = m.sightings.interval(m.row);
        if (interval < windowStart) {
          continue; // the node would refuse it (R15.7); no uploaded key reaches back that far
        }
        int seconds = Math.min(m.seconds, MAX_SECONDS_PER_INTERVAL);
        list.add(
            Observation.newBuilder()
                .setRpi(m.sightings.rpi(m.row))
                .setIntervalNumber(interval)
                .setDurationSeconds(seconds)
                .setAttenuationDb((int) Math.round((double) m.secondsTimesDb / m.seconds))
                .build());
        deposited.computeIfAbsent(agent, a -> new TreeMap<>()).put(e.getKey(), seconds);
      }
      for (int from = 0; from < list.size(); from += MAX_OBSERVATIONS_PER_CALL) {
        List<Observation> part =
            list.subList(from, Math.min(list.size(), from + MAX_OBSERVATIONS_PER_CALL));
        deposits.add(new Federation.Deposit(device(agent), part));
      }
    }
    if (!deposits.isEmpty()) {
      federation.deposit(deposits, now);
    }
    List<Integer> polling = new ArrayList<>();
    for (int agent : deposited.keySet()) {
      if (polls.next(agent, hour) == hour) {
        polling.add(agent);
      }
    }
    fetch(polling, now);
  }

  /**
   * Before the nodes' daily purge at {@code now}: fetches the exposures of the phones with deposits
   * that the purge deletes, since it deletes their exposures with them (R15.22).
   */
  void beforePurge(Instant now) {
    long windowStart = windowStart(now);
    List<Integer> leaving = new ArrayList<>();
    deposited.forEach(
        (agent, held) -> {
          if (held.keySet().stream().anyMatch(k -> interval(k) < windowStart)) {
            leaving.add(agent);
          }
        });
    fetch(leaving, now);
    for (int agent : leaving) {
      TreeMap<Long, Integer> held = deposited.get(agent);
      held.keySet().removeIf(k -> interval(k) < windowStart);
      if (held.isEmpty()) {
        deposited.remove(agent);
      }
    }
  }

  /** At the end of the run: fetches the exposures of every phone that deposited. */
  void fetchAll(Instant now) {
    fetch(new ArrayList<>(deposited.keySet()), now);
  }

  /**
   * Asks the home nodes for the exposures of {@code agents}' phones and records the notifications
   * of those found since each phone's last fetch.
   */
  private void fetch(List<Integer> agents, Instant now) {
    if (agents.isEmpty()) {
      return;
    }
    List<Federation.Device> devices = new ArrayList<>(agents.size());
    agents.forEach(a -> devices.add(device(a)));
    List<List<Exposure>> answers = federation.exposures(devices, now);
    for (int i = 0; i < answers.size(); i++) {
      int agent = agents.get(i);
      long since = lastFetchSeconds.getOrDefault(agent, Long.MIN_VALUE);
      for (Exposure e : answers.get(i)) {
        if (e.getMatchedUnixSeconds() >= since && noticed.add(List.of(agent, e))) {
          notice(agent, e, now);
        }
      }
      lastFetchSeconds.put(agent, now.getEpochSecond());
    }
  }

  private void notice(int agent, Exposure e, Instant now) {
    notifications.recordMatch(agent);
    int indexCase = indexCase(agent, e);
    if (indexCase < 0) {
      notifications.recordPaddingMatch();
      return;
    }
    if (e.getNotified()) {
      // the person learns of it when the backend fetches it, not when the node found it
      long hour = Math.floorDiv(now.getEpochSecond() - start.getEpochSecond(), 3600);
      notifications.recordNotification(agent, indexCase, (int) hour);
    }
  }

  /**
   * The uploader whose deposited observations of one day, at the exposure's intervals, add up to
   * its duration and who lives in its origin; -1 if there is none (an exposure to a padding key).
   */
  private int indexCase(int agent, Exposure e) {
    Set<Integer> intervals = new HashSet<>();
    for (IntervalRange r : e.getIntervalsList()) {
      for (long i = r.getFirstInterval(); i <= r.getLastInterval(); i++) {
        intervals.add((int) i);
      }
    }
    Group g = new Group(-1, 0);
    for (Map.Entry<Long, Integer> h : deposited.get(agent).entrySet()) {
      int subject = (int) (h.getKey() >>> 32);
      int interval = interval(h.getKey());
      int day = Math.floorDiv(interval - dayZeroEnin, INTERVALS_PER_DAY);
      if (subject != g.subject || day != g.day) {
        if (fits(g, intervals.size(), e)) {
          return g.subject;
        }
        g = new Group(subject, day);
      }
      if (intervals.contains(interval)) {
        g.covered++;
        g.seconds += h.getValue();
      }
    }
    return fits(g, intervals.size(), e) ? g.subject : -1;
  }

  private boolean fits(Group g, int intervals, Exposure e) {
    return g.subject >= 0
        && g.covered == intervals
        && g.seconds == e.getDurationSeconds()
        && population.code(population.home(g.subject)).equals(e.getOrigin());
  }

  /** The interval of {@link #observed} key {@code k}. */
  private static int interval(long k) {
    return (int) k;
  }

  /** The first interval of the retention window at {@code now} (spec W). */
  private long windowStart(Instant now) {
    return now.getEpochSecond() / 600 - (long) retentionDays * INTERVALS_PER_DAY;
  }

  /** The key of what a phone heard of {@code subject} in {@code interval}: one RPI. */
  private static long observed(int subject, int interval) {
    return (long) subject << 32 | (interval & 0xffffffffL);
  }

  private Federation.Device device(int agent) {
    if (deviceKeys[agent] == null) {
      byte[] key = new byte[16];
      random.nextBytes(key); // R15.26: fresh random bytes, unrelated to the person
      deviceKeys[agent] = ByteString.copyFrom(key);
    }
    return new Federation.Device(population.code(population.home(agent)), deviceKeys[agent]);
  }
}

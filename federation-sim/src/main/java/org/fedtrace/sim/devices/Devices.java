package org.fedtrace.sim.devices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.fedtrace.crypto.TokenDeriver;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.population.Population;

/**
 * The phones: when two app users meet, each phone records the other's Rolling Proximity Identifiers
 * for every 10-minute interval the contact overlaps (derived from the other's key of the day), with
 * the minutes heard in that interval and the attenuation it measured (the true attenuation plus
 * normal noise, drawn per phone and contact). In device mode the rows go to the phones' {@link
 * HeardLog} without their RPIs ({@link #log}); for the operators' backends ({@link #sightings}) the
 * RPIs are derived once per observed person and day, in parallel.
 */
public final class Devices {
  private static final long NOISE = 50;

  private final Population population;
  private final Teks teks;
  private final long seed;
  private final double noiseDb;
  private final int dayZeroEnin;
  private final ExecutorService pool;
  private final int threads;
  private final int[] start;
  private final int[] cursor;

  /**
   * Phones of {@code population}.
   *
   * @param dayZeroEnin the interval number of midnight starting day 0
   * @param pool runs RPI derivation on {@code threads} threads
   */
  public Devices(
      Population population,
      Teks teks,
      long seed,
      double noiseDb,
      int dayZeroEnin,
      ExecutorService pool,
      int threads) {
    this.population = population;
    this.teks = teks;
    this.seed = seed;
    this.noiseDb = noiseDb;
    this.dayZeroEnin = dayZeroEnin;
    this.pool = pool;
    this.threads = threads;
    this.start = new int[population.size() + 1];
    this.cursor = new int[population.size()];
  }

  /**
   * What the phones heard during the contacts of one day, without the RPIs: one entry per contact
   * and phone (not per 10-minute interval), grouped by the person heard, with the same noise draws
   * as {@link #sightings}; {@link HeardLog} splits an entry into the same rows, in the same order.
   * The RPIs are derived later, only for the people whose keys reach a phone.
   */
  public HeardLog.Day log(DayContacts c) {
    Arrays.fill(start, 0);
    int rows = 0;
    for (int i = 0; i < c.size(); i++) {
      int a = c.first(i);
      int b = c.second(i);
      if (population.hasApp(a) && population.hasApp(b)) {
        start[a + 1]++;
        start[b + 1]++;
        rows += 2 * pieces(c.minute(i), c.duration(i));
      }
    }
    for (int a = 0; a < population.size(); a++) {
      start[a + 1] += start[a];
    }
    System.arraycopy(start, 0, cursor, 0, cursor.length);
    int entries = start[population.size()];
    int[] observers = new int[entries];
    short[] minutes = new short[entries];
    byte[] durations = new byte[entries];
    byte[] measured = new byte[entries];
    SplittableRandom r = Draws.random(seed, NOISE, c.day(), 0);
    for (int i = 0; i < c.size(); i++) {
      int a = c.first(i);
      int b = c.second(i);
      if (!population.hasApp(a) || !population.hasApp(b)) {
        continue;
      }
      final int heardByB = measured(c.attenuation(i), r); // drawn in the order of fill()
      final int heardByA = measured(c.attenuation(i), r);
      int ea = cursor[a]++;
      observers[ea] = b;
      minutes[ea] = (short) c.minute(i);
      durations[ea] = (byte) c.duration(i);
      measured[ea] = (byte) heardByB;
      int eb = cursor[b]++;
      observers[eb] = a;
      minutes[eb] = (short) c.minute(i);
      durations[eb] = (byte) c.duration(i);
      measured[eb] = (byte) heardByA;
    }
    int dayEnin = dayZeroEnin + c.day() * TokenDeriver.MAX_ROLLING_PERIOD;
    return new HeardLog.Day(
        c.day(), dayEnin, rows, start.clone(), observers, minutes, durations, measured);
  }

  /** What the phones heard during the contacts of one day, grouped by the person heard. */
  public Sightings sightings(DayContacts contacts) {
    Rows r = rows(contacts);
    return new Sightings(
        contacts.day(),
        r.size,
        r.rpis,
        r.intervals,
        r.observers,
        r.minutes,
        r.attenuation,
        start.clone());
  }

  private Rows rows(DayContacts contacts) {
    int total = count(contacts);
    Rows rows = new Rows(total);
    fill(contacts, rows);
    derive(contacts.day(), rows);
    return rows;
  }

  private int count(DayContacts c) {
    Arrays.fill(start, 0);
    for (int i = 0; i < c.size(); i++) {
      int a = c.first(i);
      int b = c.second(i);
      if (population.hasApp(a) && population.hasApp(b)) {
        int n = pieces(c.minute(i), c.duration(i));
        start[a + 1] += n;
        start[b + 1] += n;
      }
    }
    for (int a = 0; a < population.size(); a++) {
      start[a + 1] += start[a];
    }
    System.arraycopy(start, 0, cursor, 0, cursor.length);
    return start[population.size()];
  }

  private static int pieces(int minute, int duration) {
    return (minute + duration - 1) / 10 - minute / 10 + 1;
  }

  /** Writes each row at its observed person's next slot (rows are grouped by observed person). */
  private void fill(DayContacts c, Rows rows) {
    SplittableRandom r = Draws.random(seed, NOISE, c.day(), 0);
    int dayEnin = dayZeroEnin + c.day() * TokenDeriver.MAX_ROLLING_PERIOD;
    for (int i = 0; i < c.size(); i++) {
      int a = c.first(i);
      int b = c.second(i);
      if (!population.hasApp(a) || !population.hasApp(b)) {
        continue;
      }
      int heardByB = measured(c.attenuation(i), r);
      int heardByA = measured(c.attenuation(i), r);
      int m0 = c.minute(i);
      int m1 = m0 + c.duration(i);
      for (int k = m0 / 10; k * 10 < m1; k++) {
        int minutes = Math.min(m1, k * 10 + 10) - Math.max(m0, k * 10);
        rows.set(cursor[a]++, b, dayEnin + k, minutes, heardByB);
        rows.set(cursor[b]++, a, dayEnin + k, minutes, heardByA);
      }
    }
  }

  private int measured(int trueDb, SplittableRandom r) {
    long db = Math.round(trueDb + noiseDb * Draws.gaussian(r));
    return (int) Math.max(0, Math.min(255, db));
  }

  private void derive(int day, Rows rows) {
    int n = population.size();
    List<Callable<Void>> tasks = new ArrayList<>();
    int from = 0;
    for (int t = 1; t <= threads; t++) {
      int until = t == threads ? n : agentAtRow((long) rows.size * t / threads, from);
      int lo = from;
      tasks.add(
          () -> {
            deriveRange(day, rows, lo, until);
            return null;
          });
      from = until;
    }
    try {
      for (Future<Void> f : pool.invokeAll(tasks)) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while deriving RPIs", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("RPI derivation failed", e.getCause());
    }
  }

  private int agentAtRow(long row, int from) {
    int a = from;
    while (a < population.size() && start[a] < row) {
      a++;
    }
    return a;
  }

  private void deriveRange(int day, Rows rows, int from, int until) {
    TokenDeriver deriver = TokenDeriver.create();
    byte[] rpis = new byte[TokenDeriver.MAX_ROLLING_PERIOD * TokenDeriver.TOKEN_LENGTH];
    for (int a = from; a < until; a++) {
      int lo = start[a];
      int hi = start[a + 1];
      if (lo == hi) {
        continue;
      }
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      for (int row = lo; row < hi; row++) {
        first = Math.min(first, rows.intervals[row]);
        last = Math.max(last, rows.intervals[row]);
      }
      deriver.deriveRpis(teks.tek(a, day), first, last - first + 1, rpis, 0);
      for (int row = lo; row < hi; row++) {
        System.arraycopy(rpis, (rows.intervals[row] - first) * 16, rows.rpis, row * 16, 16);
      }
    }
  }

  /** Observation rows under construction. */
  private static final class Rows {
    final int size;
    final byte[] rpis;
    final int[] intervals;
    final int[] observers;
    final byte[] minutes;
    final byte[] attenuation;

    Rows(int size) {
      this.size = size;
      rpis = new byte[16 * size];
      intervals = new int[size];
      observers = new int[size];
      minutes = new byte[size];
      attenuation = new byte[size];
    }

    void set(int row, int observer, int interval, int heardMinutes, int db) {
      observers[row] = observer;
      intervals[row] = interval;
      minutes[row] = (byte) heardMinutes;
      attenuation[row] = (byte) db;
    }
  }
}

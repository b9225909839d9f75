package org.fedtrace.sim;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntUnaryOperator;
import org.fedtrace.export.ExportPolicy;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.counterfactual.Counterfactuals;
import org.fedtrace.sim.counterfactual.FedtraceWorld;
import org.fedtrace.sim.devices.Devices;
import org.fedtrace.sim.devices.HeardLog;
import org.fedtrace.sim.devices.Sightings;
import org.fedtrace.sim.devices.Teks;
import org.fedtrace.sim.epidemic.Epidemic;
import org.fedtrace.sim.epidemic.Reaction;
import org.fedtrace.sim.federation.Federation;
import org.fedtrace.sim.federation.FederationFactory;
import org.fedtrace.sim.federation.FederationSpec;
import org.fedtrace.sim.matching.Exposure;
import org.fedtrace.sim.matching.ExposureMatcher;
import org.fedtrace.sim.population.DayContacts;
import org.fedtrace.sim.population.DayVisits;
import org.fedtrace.sim.population.Encounters;
import org.fedtrace.sim.population.Households;
import org.fedtrace.sim.population.Mobility;
import org.fedtrace.sim.population.Population;
import org.fedtrace.sim.scenario.DeviceSource;
import org.fedtrace.sim.scenario.MatchingMode;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.TokenScheme;
import org.fedtrace.sim.truth.GroundTruth;

/**
 * Runs one scenario: day by day it plans visits, generates contacts, spreads the epidemic and
 * records what phones hear; hour by hour it makes the due uploads, lets the federation exchange,
 * and matches what arrived at each node: in device mode with the simulator's matcher, standing for
 * the phones; in operator-assisted mode the operators' backends deposit observations at the nodes,
 * which match ({@link OperatorBackends}). After the last day the federation drains (no new contacts
 * or uploads) until every upload has been published, exchanged, matched and, in device mode,
 * fetched by the phones. The central scheme runs no federation: it is measured from the ground
 * truth afterwards.
 */
public final class Simulator {
  private final Scenario scenario;
  private final FederationFactory federations;
  private final ExposureMatcher matcher;
  private final Progress.Listener progress;
  private final int threads;

  /**
   * A simulator.
   *
   * @param threads threads for RPI derivation and matching (results do not depend on it)
   */
  public Simulator(
      Scenario scenario,
      FederationFactory federations,
      ExposureMatcher matcher,
      Progress.Listener progress,
      int threads) {
    this.scenario = scenario;
    this.federations = federations;
    this.matcher = matcher;
    this.progress = progress;
    this.threads = Math.max(1, threads);
  }

  /** Hours the federation keeps running after the last day. */
  public static int drainHours(Scenario s) {
    // the longest a key can wait for its batch: batch_max_hold (at least batch_max_age)
    int batching = s.federation().batchMaxHoldHours();
    if (s.matching().mode() != MatchingMode.DEVICE) {
      return batching + 1;
    }
    if (s.matching().deviceSource() == DeviceSource.BATCHES) {
      return batching + s.matching().devicePollHours() + 1;
    }
    // exports: a key of the upload day waits for its end and the embargo, then its hourly window
    int embargo = (int) (ExportPolicy.MIN_DELAY_SECONDS / 3600);
    return Math.max(batching, 24 + embargo) + 1 + s.matching().downloadIntervalHours() + 1;
  }

  /** Runs the scenario. */
  public Outcome run() {
    long started = System.nanoTime();
    progress.update(new Progress("setup", 0, scenario.days(), 0, -1));
    ExecutorService pool = Executors.newFixedThreadPool(threads, Simulator::daemon);
    Run run = null;
    try {
      run = new Run(pool);
      return run.execute(started);
    } finally {
      pool.shutdownNow();
      if (run != null && run.federation != null) {
        run.federation.close(); // also after a failure: no node process or port outlives the run
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "fedtrace-sim");
    t.setDaemon(true);
    return t;
  }

  /** The state of one run. */
  private final class Run {
    final ExecutorService pool;
    final Instant start = scenario.startDate().atStartOfDay(ZoneOffset.UTC).toInstant();
    final int dayZeroEnin = (int) (start.getEpochSecond() / 600);
    final SimClock clock = new SimClock(start);
    final Population population = Population.create(scenario);
    final Epidemic epidemic = new Epidemic(scenario, population);
    final Reaction reaction = new Reaction(scenario, epidemic, population.size());
    final GroundTruth truth = new GroundTruth();
    final Teks teks = new Teks(scenario.seed());
    final boolean federated = scenario.tokenScheme() == TokenScheme.FEDERATED;

    /** Operator-assisted matching: the nodes match, the operators' backends deposit. */
    final boolean operator = federated && scenario.matching().mode() == MatchingMode.OPERATOR;

    final Polls polls = new Polls(scenario.seed(), scenario.matching().devicePollHours());

    /** Device mode: phones match the key export files, where the federation writes them. */
    final boolean fromExports =
        federated && !operator && scenario.matching().deviceSource() == DeviceSource.EXPORTS;

    final Notifications notifications = new Notifications(population.size(), reaction::notify);
    final List<DaySample> samples = new ArrayList<>();
    final List<List<Integer>> uploadsByHour = new ArrayList<>();
    final Uploads uploads = new Uploads(population, epidemic, teks, truth, dayZeroEnin, scenario);
    final Federation federation;
    final OperatorBackends backends;
    final PhoneMatching phones = new PhoneMatching(population, teks, truth, matcher);
    final long[] markers = new long[population.countries()];
    final long[][] trafficByDay;
    final Downloads downloads;
    Counters today;

    Run(ExecutorService pool) {
      this.pool = pool;
      for (int h = 0; h < scenario.days() * 24; h++) {
        uploadsByHour.add(new ArrayList<>());
      }
      epidemic.seedInfections(scenario.countries());
      for (int a = 0; a < population.size(); a++) {
        schedule(a);
      }
      federation = federated ? federations.create(spec(), clock) : null;
      backends =
          operator
              ? new OperatorBackends(
                  population,
                  federation,
                  notifications,
                  polls,
                  start,
                  scenario.federation().retentionDays())
              : null;
      trafficByDay = new long[scenario.days() + 1][population.countries()];
      downloads =
          new Downloads(
              population,
              scenario.seed(),
              scenario.matching().downloadIntervalHours(),
              scenario.days() * 24 + drainHours(scenario));
    }

    FederationSpec spec() {
      Scenario.FederationPolicy f = scenario.federation();
      return new FederationSpec(
          population.codes(),
          f.topology(),
          scenario.hubCountry(),
          f.batchMaxKeys(),
          f.batchMaxAgeMinutes() * 60L,
          f.batchMinUploads(),
          f.batchMaxHoldHours() * 3600L,
          f.paddingMinKeys(),
          f.retentionDays(),
          start,
          scenario.seed(),
          operator,
          scenario.matching().notifyMinRiskScore(),
          scenario.privacy().decoyUploads());
    }

    void schedule(int a) {
      int hour = epidemic.reportHour(a);
      if (federated && hour < uploadsByHour.size() && population.hasApp(a)) {
        uploadsByHour.get(Math.max(0, hour)).add(a);
      }
    }

    Outcome execute(long started) {
      Devices devices =
          new Devices(
              population,
              teks,
              scenario.seed(),
              scenario.contacts().measurementNoiseDb(),
              dayZeroEnin,
              pool,
              threads);
      Mobility mobility = new Mobility(scenario, population);
      Encounters encounters = new Encounters(scenario, population);
      Households households = new Households(scenario, population);
      Counterfactuals worlds =
          scenario.baselines().counterfactuals()
              ? new Counterfactuals(scenario, population, pool)
              : null;
      long loopStart = System.nanoTime();
      for (int day = 0; day < scenario.days(); day++) {
        today = new Counters(population.countries());
        reaction.startDay(day);
        DayVisits potential = mobility.plan(day);
        DayContacts all = encounters.meet(potential);
        households.meet(all, mobility);
        all.trim();
        if (worlds != null) {
          worlds.day(potential, all);
        }
        int[] infected = epidemic.transmit(all, i -> reaction.happens(all, i));
        DayVisits visits = Presence.visits(potential, reaction);
        DayContacts contacts = Presence.contacts(all, reaction);
        truth.addDay(visits, contacts);
        today.contacts = contacts.size();
        for (int a : infected) {
          today.infections[population.home(a)]++;
          schedule(a);
        }
        if (federated) {
          hear(devices, contacts, day);
        }
        for (int h = 0; h < 24; h++) {
          tick(day * 24 + h);
        }
        sampleTraffic(day);
        samples.add(today.sample());
        report("simulate", day + 1, loopStart);
      }
      today = new Counters(population.countries());
      progress.update(new Progress("drain", scenario.days(), scenario.days(), 0, -1));
      for (int h = 0; h < drainHours(scenario); h++) {
        tick(scenario.days() * 24 + h);
      }
      if (operator) {
        backends.fetchAll(clock.instant());
      }
      int end = scenario.days() * 24 + drainHours(scenario);
      if (worlds != null) {
        worlds.drain(scenario.days() * 24, end);
      }
      sampleTraffic(scenario.days());
      samples.add(today.sample());
      List<DiagnosisKeyBatch> published = federated ? federation.published() : List.of();
      return new Outcome(
          scenario,
          population,
          epidemic,
          truth,
          notifications,
          published,
          samples,
          trafficByDay,
          dayZeroEnin,
          System.nanoTime() - started,
          worlds == null ? List.of() : worlds.outcomes(fedtraceWorld(), end),
          downloads.figures(
              scenario.days(), fromExports ? DeviceSource.EXPORTS : DeviceSource.BATCHES),
          federated ? uploads.consents() : null);
    }

    FedtraceWorld fedtraceWorld() {
      java.util.BitSet uploaders = new java.util.BitSet();
      truth.uploads().forEach(u -> uploaders.set(u.agent()));
      long[] byDay = new long[scenario.days()];
      for (int d = 0; d < byDay.length; d++) {
        for (int n : samples.get(d).infections()) {
          byDay[d] += n;
        }
      }
      return new FedtraceWorld(epidemic, reaction, uploaders, byDay);
    }

    void report(String phase, int done, long loopStart) {
      double seconds = (System.nanoTime() - loopStart) / 1e9;
      double rate = done / Math.max(seconds, 1e-9);
      progress.update(
          new Progress(phase, done, scenario.days(), rate, (scenario.days() - done) / rate));
    }

    void hear(Devices devices, DayContacts contacts, int day) {
      if (operator) {
        Sightings heard = devices.sightings(contacts);
        today.observations += heard.size();
        backends.heard(heard);
        return;
      }
      HeardLog.Day heard = devices.log(contacts);
      today.observations += heard.rows();
      phones.log().add(heard);
      int keep = dayZeroEnin + (day - scenario.federation().retentionDays()) * 144;
      phones.log().dropBefore(keep - ExposureMatcher.TOLERANCE_INTERVALS);
    }

    void sampleTraffic(int day) {
      for (int c = 0; c < population.countries(); c++) {
        trafficByDay[day][c] = federated ? federation.trafficBytes(population.code(c)) : 0;
      }
    }

    void tick(int hour) {
      Instant now = start.plus(Duration.ofHours(hour));
      clock.advanceTo(now);
      for (int a : reaction.testResults(hour)) {
        schedule(a); // a positive test after a notification: diagnosed now, uploads sooner
      }
      if (!federated) {
        return;
      }
      if (operator && hour % 24 == 0) {
        backends.beforePurge(now); // the exchange below purges (once a simulated day)
      }
      if (hour < uploadsByHour.size()) {
        for (int a : uploadsByHour.get(hour)) {
          if (epidemic.reportHour(a) == hour) { // not moved earlier by a test
            upload(a, hour, now);
          }
        }
      }
      if (operator) {
        backends.deposit(hour, now);
      }
      long t0 = System.nanoTime();
      federation.exchange(now);
      List<List<DiagnosisKey>> arrived = new ArrayList<>();
      for (int c = 0; c < population.countries(); c++) {
        Federation.Received r = federation.receivedSince(population.code(c), markers[c]);
        markers[c] = r.nextMarker();
        List<DiagnosisKey> keys = new ArrayList<>();
        for (DiagnosisKeyBatch b : r.batches()) {
          keys.addAll(b.getKeysList());
          if (!b.getOrigin().equals(population.code(c))) {
            uploads.consents().received(c, b);
            today.keysExchanged += b.getKeysCount();
          }
        }
        arrived.add(keys);
        downloads.batched(keys, hour);
      }
      today.exchangeNanos += System.nanoTime() - t0;
      if (operator) {
        matchAtNodes(arrived, now);
        return;
      }
      Map<String, Path> exports = // none with write_exports: false
          scenario.matching().writeExports() ? federation.export(now) : Map.of();
      List<List<DiagnosisKey>> downloaded = downloads.read(exports, hour);
      if (fromExports && !exports.isEmpty()) {
        match(downloaded, hour, a -> downloads.fetchHour(a, hour));
      } else {
        match(arrived, hour, a -> polls.next(a, hour));
      }
    }

    void upload(int agent, int hour, Instant now) {
      Map<Integer, DiagnosisKey> keys = uploads.keys(agent, hour);
      if (keys.isEmpty()) {
        return;
      }
      Map<Integer, ByteString> data = new LinkedHashMap<>();
      keys.forEach((day, k) -> data.put(day, k.getKeyData()));
      truth.addUpload(agent, hour, data);
      downloads.uploaded(data.values(), hour);
      List<DiagnosisKey> all = List.copyOf(keys.values());
      Federation.Consent consent = uploads.consents().choose(agent, all);
      federation.upload(population.code(population.home(agent)), all, agent, now, consent);
      if (operator) {
        backends.uploaded(agent, hour, keys);
      }
      today.uploads++;
    }

    /**
     * Device mode: every phone matches {@code arrived} (by home country) and learns of an exposure
     * at {@code notifiedAt} of it.
     */
    void match(List<List<DiagnosisKey>> arrived, int hour, IntUnaryOperator notifiedAt) {
      long t0 = System.nanoTime();
      boolean skipPadding = scenario.matching().phonesSkipPadding();
      List<Callable<List<Exposure>>> tasks = new ArrayList<>();
      for (int c = 0; c < arrived.size(); c++) {
        List<DiagnosisKey> keys = // phones_skip_padding: the uploaders' keys only
            skipPadding ? truth.uploadersKeys(arrived.get(c)) : arrived.get(c);
        int country = c;
        today.rpisMatched += rpis(keys);
        tasks.add(() -> keys.isEmpty() ? List.of() : phones.match(country, keys));
      }
      List<List<Exposure>> found = runAll(tasks);
      today.matchNanos += System.nanoTime() - t0;
      for (List<Exposure> exposures : found) {
        for (Exposure e : exposures) {
          notice(e, notifiedAt);
        }
      }
    }

    /** Operator-assisted mode: the nodes match what arrived at them. */
    void matchAtNodes(List<List<DiagnosisKey>> arrived, Instant now) {
      long t0 = System.nanoTime();
      federation.matchStored(now);
      today.matchNanos += System.nanoTime() - t0;
      arrived.forEach(keys -> today.rpisMatched += rpis(keys));
    }

    long rpis(List<DiagnosisKey> keys) {
      long n = 0;
      for (DiagnosisKey k : keys) {
        n += k.getRollingPeriod();
      }
      return n;
    }

    void notice(Exposure e, IntUnaryOperator notifiedAt) {
      GroundTruth.KeyOwner owner = truth.owner(e.key().getKeyData());
      notifications.recordMatch(e.agent());
      if (owner == null) {
        notifications.recordPaddingMatch();
        return;
      }
      if (e.riskScore() < scenario.matching().notifyMinRiskScore()) {
        return;
      }
      notifications.recordNotification(e.agent(), owner.agent(), notifiedAt.applyAsInt(e.agent()));
    }

    <T> List<T> runAll(List<Callable<T>> tasks) {
      try {
        List<T> out = new ArrayList<>(tasks.size());
        for (Future<T> f : pool.invokeAll(tasks)) {
          out.add(f.get());
        }
        return out;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while matching", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("matching failed: " + e.getCause(), e.getCause());
      }
    }
  }

  /** Mutable counters of the current day. */
  private static final class Counters {
    final int[] infections;
    long contacts;
    long observations;
    int uploads;
    long keysExchanged;
    long exchangeNanos;
    long rpisMatched;
    long matchNanos;

    Counters(int countries) {
      infections = new int[countries];
    }

    DaySample sample() {
      return new DaySample(
          contacts,
          observations,
          infections.clone(),
          uploads,
          keysExchanged,
          exchangeNanos,
          rpisMatched,
          matchNanos);
    }
  }
}

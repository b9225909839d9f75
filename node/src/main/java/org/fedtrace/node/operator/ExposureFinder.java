package org.fedtrace.node.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.fedtrace.matching.KeyBatch;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.fedtrace.matching.ObservationIndex;
import org.fedtrace.matching.ProbeMode;
import org.fedtrace.matching.RiskModel;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.exchange.Backoff;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.exchange.StoredBatches;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.OperatorData;
import org.fedtrace.store.Page;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.StoredBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operator-assisted matching (spec §15): the observations subscribers deposited, durable in the
 * store and held in an in-memory {@link ObservationIndex} loaded at start, and a follower of the
 * store's batches (own and received, in commit order) that matches each with the engine and commits
 * the exposures found together with its progress, so that a crash between storing a batch and
 * matching it loses nothing, and a crash during a match repeats nothing (R15.16, R15.21). After the
 * batches, it matches the domestic-only keys of the node's own uploads, which never become a batch,
 * as keys of the node's origin (R25.18, R25.19).
 *
 * <p>Concurrency: the index is not thread-safe for writes, so deposits, the retention drop and the
 * sunset erasure take the write lock of a read-write lock and matches its read lock. A deposit is
 * committed and added to the index under the write lock, before it is acknowledged, so every batch
 * committed after the acknowledgement is matched against it. Matching, the retention purge and the
 * erasure run one at a time (this object's monitor), so an erasure cannot interleave with the
 * commit of a match. The store's write lock is always taken last.
 */
public final class ExposureFinder {
  private static final Logger LOG = LoggerFactory.getLogger(ExposureFinder.class);

  /**
   * The ceiling of the first pause before matching again after a failure; it doubles with every
   * failure in a row, up to {@link #RETRY_MAX_MILLIS}, and each pause is drawn below it ({@link
   * Backoff}).
   */
  private static final long RETRY_FIRST_MILLIS = 1_000;

  private static final long RETRY_MAX_MILLIS = 300_000;

  /** Stored batches read and matched per transaction. */
  private static final int PAGE = 16;

  /** Domestic-only keys read and matched per transaction. */
  private static final int DOMESTIC_PAGE = 1_000;

  private final ExchangeContext ctx;
  private final String origin;
  private final Matcher engine;
  private final RiskModel risk;
  private final ScheduledExecutorService background;
  private final AtomicBoolean wakeQueued = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final Backoff retry = new Backoff(RETRY_FIRST_MILLIS, RETRY_MAX_MILLIS);
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final JobLease lease;

  /** Whether this replica matches (holds the lease); its index exists only then. */
  private volatile boolean matching;

  private ObservationIndex index;

  /** The last deposit the index holds (under the write lock). */
  private long loaded;

  /** The last domestic-only key matched since the index was loaded (spec §25.6: not durable). */
  private volatile long domesticMatched;

  private ExposureFinder(
      ExchangeContext ctx,
      String origin,
      Matcher engine,
      RiskModel risk,
      ScheduledExecutorService background,
      JobLease lease) {
    this.ctx = ctx;
    this.origin = origin;
    this.engine = engine;
    this.risk = risk;
    this.background = background;
    this.lease = lease;
  }

  /**
   * Loads the deposited observations from the store into a new index.
   *
   * @param origin the node's origin (§26.2): the thread's name, and the origin of the exposures to
   *     its domestic-only keys (R25.19)
   * @param backgroundWork whether {@link #wake} matches on a thread of its own; without, matching
   *     runs only when {@link #matchStored} is called
   */
  public static ExposureFinder open(
      ExchangeContext ctx,
      NodeConfig.Matching matching,
      String origin,
      boolean backgroundWork,
      JobLease lease) {
    ScheduledExecutorService background =
        backgroundWork
            ? Executors.newSingleThreadScheduledExecutor(
                r -> {
                  Thread t = new Thread(r, "fedtrace-matching-" + origin);
                  t.setDaemon(true);
                  return t;
                })
            : null;
    RiskModel risk = RiskModel.withThreshold(matching.notifyThreshold());
    ExposureFinder finder =
        new ExposureFinder(
            ctx,
            origin,
            Matcher.create(matching.threads(), ProbeMode.DIRECT, risk),
            risk,
            background,
            lease);
    if (lease == null) {
      finder.startMatching(); // the only process on its store
    }
    return finder;
  }

  /**
   * Of the replicas sharing the store, the one holding the lease {@code operator-matching} matches:
   * takes or renews the lease, and loads the index when this replica takes it, or drops the index
   * when another replica took it. Without a lease (one process on its store) this replica always
   * matches. The node calls it every third of a lease's lifetime.
   */
  public void takeTurn() {
    if (lease == null || stopping.get()) {
      return;
    }
    boolean mine = lease.hold();
    if (mine && !matching) {
      startMatching();
      LOG.info("event=operator_matching_taken lease=operator-matching");
      wake();
    } else if (!mine && matching) {
      lock.writeLock().lock();
      try {
        matching = false;
        index = null;
      } finally {
        lock.writeLock().unlock();
      }
      LOG.warn("event=operator_matching_left lease=operator-matching");
    }
  }

  /** Loads every deposited observation into a new index; this replica matches from now on. */
  private void startMatching() {
    lock.writeLock().lock();
    try {
      long upTo = ctx.store().read(tx -> tx.operator().lastDeposit());
      long count = ctx.store().read(tx -> tx.operator().observationCount());
      ObservationIndex fresh = ObservationIndex.create((int) Math.min(count, 1 << 30));
      ctx.store()
          .read(
              tx -> {
                tx.operator().forEachObservation(-1, upTo, (device, o) -> add(fresh, device, o));
                return null;
              });
      index = fresh;
      loaded = upTo;
      domesticMatched = 0;
      matching = true;
      ctx.metrics().observationsHeld(index.size());
      LOG.info("event=operator_matching_loaded observations={}", index.size());
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Adds to the index the observations deposited since it was loaded, through any replica; the
   * caller holds the write lock. Deposits are numbered in commit order, so none is missed or added
   * twice.
   */
  private void refresh() {
    long upTo = ctx.store().read(tx -> tx.operator().lastDeposit());
    if (upTo > loaded) {
      long after = loaded;
      ctx.store()
          .read(
              tx -> {
                tx.operator().forEachObservation(after, upTo, (device, o) -> add(index, device, o));
                return null;
              });
      loaded = upTo;
      ctx.metrics().observationsHeld(index.size());
    }
  }

  private static void add(ObservationIndex index, int device, OperatorData.Observed o) {
    index.add(o.rpi(), o.interval(), o.durationSeconds(), o.attenuationDb(), device);
  }

  /** The risk model's notification threshold. */
  public double threshold() {
    return risk.threshold();
  }

  /**
   * Commits the observations of one device, through any replica; the replica that matches adds them
   * to its index (R15.13, R15.14).
   *
   * @throws RuleViolation R15.12 when the device would hold too many
   */
  public OperatorData.Deposit deposit(
      byte[] deviceSha256, List<OperatorData.Observed> observations, long maxPerDevice) {
    lock.writeLock().lock();
    try {
      if (ctx.lifecycle().pastSunset()) {
        // checked again under the lock the erasure takes: nothing is stored after it (R15.23)
        throw new RuleViolation(
            Rule.MATCHING_PAST_SUNSET,
            "the federation agreement ended on "
                + ctx.lifecycle().sunsetDate()
                + "; operator matching is closed");
      }
      OperatorData.Deposit d =
          ctx.store().write(tx -> tx.operator().deposit(deviceSha256, observations, maxPerDevice));
      if (matching) {
        refresh(); // this deposit, and those other replicas stored before it
      }
      ctx.metrics().observationsDeposited(d.stored().size(), d.duplicates());
      return d;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The exposures of the device whose key hashes to {@code deviceSha256}, oldest first. */
  public List<OperatorData.ExposureRow> exposures(byte[] deviceSha256) {
    return ctx.store().read(tx -> tx.operator().exposures(deviceSha256));
  }

  /** Schedules {@link #matchStored} on the background thread, once however often it is woken. */
  public void wake() {
    if (background != null && wakeQueued.compareAndSet(false, true)) {
      background.execute(
          () -> {
            wakeQueued.set(false);
            try {
              matchStored();
              retry.reset();
            } catch (RuntimeException e) {
              // no batch is lost (the cursor stays before it), but none would be matched until
              // the next batch arrives: try again after a growing pause
              long wait = retry.nextDelayMillis();
              LOG.error(
                  "event=operator_matching_failed retry_in_ms={} error=\"{}\"",
                  wait,
                  e.getMessage(),
                  e);
              if (!stopping.get()) {
                try {
                  background.schedule(this::wake, wait, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                  // the node is stopping; the cursor tells the next start where to go on
                }
              }
            }
          });
    }
  }

  /**
   * Matches every stored batch that follows the match cursor, page by page, each page committed
   * with its exposures; stops past the sunset.
   *
   * @return the number of batches matched
   */
  public int matchStored() {
    int matched = 0;
    while (true) {
      synchronized (this) {
        if (ctx.lifecycle().pastSunset() || stopping.get() || !matching) {
          return matched;
        }
        lock.writeLock().lock();
        try {
          if (!matching) {
            return matched;
          }
          refresh(); // deposits stored through other replicas
        } finally {
          lock.writeLock().unlock();
        }
        long cursor = ctx.store().read(tx -> tx.operator().matchCursor());
        long newest = ctx.store().read(tx -> tx.batches().lastPosition());
        ctx.metrics().matchLag(Math.max(0, newest - cursor));
        Page page = ctx.store().read(tx -> tx.batches().withKeysAfter(cursor, PAGE));
        if (page.lastPosition() == cursor) {
          matchDomestic();
          return matched;
        }
        matchPage(page);
        matched += page.batches().size();
      }
    }
  }

  /** Matches the batches of one page and commits what they found with the cursor after them. */
  private void matchPage(Page page) {
    // per batch, in commit order: its revocations, then its exposures, so that a revocation
    // withdraws an exposure found in an earlier batch of the same page too (R15.19)
    List<Findings> found = new ArrayList<>();
    for (StoredBatch stored : page.batches()) {
      DiagnosisKeyBatch batch = StoredBatches.parse(stored);
      found.add(find(batch.getOrigin(), batch.getKeysList(), true));
    }
    commit(found, t -> t.setMatchCursor(page.lastPosition()), "batches", page.batches().size());
  }

  /**
   * Matches the domestic-only keys of the node's own uploads (no peer sends one, R25.4) accepted
   * since it last looked, as keys of its origin, as a batch's are (R25.18, R25.19).
   */
  private void matchDomestic() {
    long cut = ctx.store().read(tx -> tx.uploads().lastDomesticId());
    while (domesticMatched < cut && matching) {
      long after = domesticMatched;
      List<PendingKey> page =
          ctx.store().read(tx -> tx.uploads().domestic(after, cut, DOMESTIC_PAGE));
      if (page.isEmpty()) {
        break; // the rest was purged
      }
      List<DiagnosisKey> keys = new ArrayList<>(page.size());
      for (PendingKey p : page) {
        keys.add(Findings.parse(p));
      }
      commit(List.of(find(origin, keys, false)), t -> {}, "domestic_keys", page.size());
      domesticMatched = page.get(page.size() - 1).id();
    }
    domesticMatched = Math.max(domesticMatched, cut);
  }

  /** The revocations among {@code all} keys of {@code keyOrigin}, and what the others match. */
  private Findings find(String keyOrigin, List<DiagnosisKey> all, boolean batch) {
    long t0 = System.nanoTime();
    List<Findings.Revocation> revoked = new ArrayList<>();
    List<DiagnosisKey> keys = new ArrayList<>(all.size());
    for (DiagnosisKey k : all) {
      if (k.getReportType() == ReportType.REPORT_TYPE_REVOKED) {
        revoked.add(Findings.revocation(keyOrigin, k));
      } else {
        keys.add(k); // R15.18: a revoked key is never matched
      }
    }
    MatchResult result = match(keys);
    List<OperatorData.ExposureRow> exposures =
        Findings.rows(result, keys, keyOrigin, ctx.clock().instant().getEpochSecond());
    long notified = exposures.stream().filter(OperatorData.ExposureRow::notified).count();
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (batch) {
      ctx.metrics().batchMatched(result.rpis(), exposures.size(), notified, seconds);
    } else {
      ctx.metrics().keysMatched(result.rpis(), exposures.size(), notified, seconds);
    }
    return new Findings(revoked, exposures);
  }

  /** Commits the revocations and exposures of each {@code found}, in order, with progress. */
  private void commit(List<Findings> found, Consumer<OperatorData> progress, String what, int n) {
    int[] counts = new int[2];
    ctx.store()
        .write(
            tx -> {
              if (lease != null) {
                lease.check(tx); // a replica that lost the lease commits no exposures
              }
              OperatorData t = tx.operator();
              for (Findings f : found) {
                for (Findings.Revocation r : f.revoked()) {
                  counts[1] += t.withdraw(r.key(), r.endInterval()); // R15.19
                }
                for (OperatorData.ExposureRow e : f.exposures()) {
                  counts[0] += t.insertExposure(e) ? 1 : 0;
                }
              }
              progress.accept(t);
              return null;
            });
    if (counts[0] > 0 || counts[1] > 0) {
      LOG.info(
          "event=operator_exposures_found {}={} exposures={} withdrawn={}",
          what,
          n,
          counts[0],
          counts[1]);
    }
  }

  private MatchResult match(List<DiagnosisKey> keys) {
    lock.readLock().lock();
    try {
      if (keys.isEmpty() || index == null || index.size() == 0) {
        return new MatchResult(List.of(), 0, 0);
      }
      return engine.match(index, KeyBatch.fromProto(keys));
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Deletes the observations heard before {@code firstKeptInterval} from the store and the index,
   * and the exposures that ended before it (R15.22).
   */
  public synchronized void purge(long firstKeptInterval) {
    long[] deleted;
    lock.writeLock().lock();
    try {
      deleted = ctx.store().write(tx -> tx.operator().deleteBefore(firstKeptInterval));
      if (index != null) {
        index.dropObservedBefore((int) Math.max(0, Math.min(firstKeptInterval, Integer.MAX_VALUE)));
        ctx.metrics().observationsHeld(index.size());
      }
    } finally {
      lock.writeLock().unlock();
    }
    if (deleted[0] > 0 || deleted[1] > 0) {
      LOG.info(
          "event=operator_retention_purge observations_deleted={} exposures_deleted={}",
          deleted[0],
          deleted[1]);
    }
  }

  /**
   * Erases every observation, device key and exposure, from the store and the index: at the sunset
   * (R15.23), deposits and exposures end with the exchange they served.
   */
  public synchronized void erase() {
    long[] erased;
    lock.writeLock().lock();
    try {
      erased = ctx.store().write(tx -> tx.operator().eraseAll());
      if (index != null) {
        index = ObservationIndex.create(0);
        loaded = ctx.store().read(tx -> tx.operator().lastDeposit());
      }
      ctx.metrics().observationsHeld(0);
    } finally {
      lock.writeLock().unlock();
    }
    if (erased[0] > 0 || erased[1] > 0) {
      LOG.warn(
          "event=sunset_operator_erasure sunset={} observations_erased={} exposures_erased={}",
          ctx.lifecycle().sunsetDate(),
          erased[0],
          erased[1]);
    }
  }

  /**
   * Stops the background thread (after the match in progress) and the engine's threads, and gives
   * the lease up, so that another replica takes matching over at once.
   */
  public void stop() throws InterruptedException {
    stopping.set(true);
    if (background != null) {
      background.shutdown();
      background.awaitTermination(30, TimeUnit.SECONDS);
    }
    engine.close();
    if (lease != null && matching) {
      try {
        lease.release();
      } catch (RuntimeException e) {
        LOG.warn("event=lease_release_failed lease=operator-matching error=\"{}\"", e.getMessage());
      }
    }
  }
}

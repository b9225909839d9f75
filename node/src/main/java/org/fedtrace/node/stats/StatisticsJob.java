package org.fedtrace.node.stats;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.Digest;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.proto.v1.LogReceipt;
import org.fedtrace.stats.DailyRelease;
import org.fedtrace.stats.Epsilon;
import org.fedtrace.stats.StatisticsPolicy;
import org.fedtrace.store.Statistics;
import org.fedtrace.store.Transaction;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.LogEvent;
import org.fedtrace.tlog.LogStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases the node's statistics (spec transparency.md §16): folds the log entries appended since
 * its last run into the day's tallies, then releases every day from the first that ended at least
 * {@code delayHours} ago and is not released yet, oldest first. A day's release, its ledger entry
 * and the deletion of its exact counts commit together; a release that would take the ledger past
 * the total budget is refused (R18.7) and nothing more is released.
 */
public final class StatisticsJob {
  private static final Logger LOG = LoggerFactory.getLogger(StatisticsJob.class);
  private static final int PAGE = 1000;

  private final ExchangeContext ctx;
  private final StatisticsPolicy policy;
  private final DailyRelease mechanism;
  private final String country;
  private final List<String> authorities;
  private final List<String> countries;

  /**
   * The node's releases under {@code policy} with noise from a {@link java.security.SecureRandom},
   * or null when {@code policy} is null (statistics are off).
   */
  public static StatisticsJob ofPolicy(
      ExchangeContext ctx,
      StatisticsPolicy policy,
      String country,
      List<String> authorities,
      List<String> countries) {
    if (policy == null) {
      return null;
    }
    return new StatisticsJob(
        ctx,
        policy,
        new DailyRelease(
            policy, new org.fedtrace.stats.ExactSampler(new java.security.SecureRandom())),
        country,
        authorities,
        countries);
  }

  /**
   * @param authorities the health authorities of the node's country, whose rows each day holds
   * @param countries the member countries, whose ordered pairs each day holds
   */
  public StatisticsJob(
      ExchangeContext ctx,
      StatisticsPolicy policy,
      DailyRelease mechanism,
      String country,
      List<String> authorities,
      List<String> countries) {
    this.ctx = ctx;
    this.policy = policy;
    this.mechanism = mechanism;
    this.country = country;
    this.authorities = List.copyOf(authorities);
    this.countries = countries.stream().distinct().sorted().toList();
  }

  /** What a run did: the days released, and the refusal when the budget stopped it. */
  public record Result(List<String> released, Optional<String> refusal) {}

  /**
   * Runs {@link #run} now and then every minute, while the node serves and this replica holds the
   * {@code statistics} lease (one replica of those sharing a store releases).
   */
  public void schedule(JobLease lease) {
    ctx.scheduler()
        .scheduleWithFixedDelay(
            () -> {
              try {
                if (ctx.lifecycle().state() == Lifecycle.State.SERVING && lease.hold()) {
                  run();
                }
              } catch (RuntimeException e) {
                LOG.error("event=statistics_failed error=\"{}\"", e.getMessage(), e);
              }
            },
            0,
            60,
            TimeUnit.SECONDS);
  }

  /** Tallies the new log entries and releases the days that are due. */
  public Result run() {
    Instant now = ctx.clock().instant();
    String first = ctx.store().write(this::tallyLog);
    List<String> released = new ArrayList<>();
    LocalDate last = lastReleasable(now);
    Map<String, Statistics.StoredRelease> done = new HashMap<>();
    ctx.store().read(tx -> tx.statistics().releases()).forEach(r -> done.put(r.day(), r));
    for (LocalDate d = LocalDate.parse(first); !d.isAfter(last); d = d.plusDays(1)) {
      String day = d.toString();
      if (done.containsKey(day)) {
        continue;
      }
      Optional<String> refusal = ctx.store().write(tx -> release(tx, day));
      if (refusal.isPresent()) {
        LOG.error("event=statistics_refused day={} reason=\"{}\"", day, refusal.get());
        return new Result(released, refusal);
      }
      released.add(day);
      LOG.info("event=statistics_released day={} epsilon={}", day, policy.epsilonPerDay());
    }
    return new Result(released, Optional.empty());
  }

  /** The last day that ended at least {@code delayHours} before {@code now}. */
  LocalDate lastReleasable(Instant now) {
    Instant cut = now.minusSeconds(policy.delayHours() * 3600L);
    // day D is due once D + 1 day <= cut
    return cut.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
  }

  /**
   * Folds new log entries of days from the first on into the tallies; returns the first day
   * releases cover: that of the first run, or of an upload tallied before it.
   */
  private String tallyLog(Transaction tx) {
    Statistics s = tx.statistics();
    String today = Tallies.day(ctx.clock().instant().getEpochSecond());
    String first =
        s.firstDay()
            .orElseGet(() -> s.earliestTally().filter(d -> d.compareTo(today) < 0).orElse(today));
    long next = s.nextLogIndex();
    LogStore log = tx.log();
    long size = log.size();
    while (next < size) {
      Map<String, Map<String, Long>> byDay = new HashMap<>();
      List<LogStore.Leaf> leaves = log.leaves(next, Math.min(size, next + PAGE));
      for (LogStore.Leaf leaf : leaves) {
        Tallies.entry(LogEntries.decode(leaf.bytes(), leaf.index()), country, byDay);
      }
      byDay.forEach(
          (day, counts) -> {
            if (day.compareTo(first) >= 0) {
              s.add(day, counts);
            }
          });
      next += leaves.size();
      if (leaves.isEmpty()) {
        break;
      }
    }
    s.setState(first, next);
    return first;
  }

  /** Releases {@code day}, or says why it may not. */
  private Optional<String> release(Transaction tx, String day) {
    Statistics s = tx.statistics();
    Epsilon after =
        Ledger.spent(s.releases())
            .map(e -> e.plus(policy.epsilonPerDay()))
            .orElse(policy.epsilonPerDay());
    if (after.compareTo(policy.totalEpsilon()) > 0) {
      return Optional.of(
          "R18.7: releasing "
              + day
              + " at epsilon "
              + policy.epsilonPerDay()
              + " would spend "
              + after
              + ", more than the total budget "
              + policy.totalEpsilon()
              + " (statistics.totalEpsilon); nothing more is released");
    }
    DailyRelease.Release r =
        mechanism.release(LocalDate.parse(day), authorities, countries, s.tallies(day));
    String body = new String(ReleaseJson.bytes(ReleaseJson.of(r)), StandardCharsets.UTF_8);
    Digest sha = Digest.sha256(body.getBytes(StandardCharsets.UTF_8));
    LogReceipt receipt =
        ctx.log()
            .append(
                tx.log(),
                LogEvent.statisticsReleased(sha, country, policy.epsilonPerDay().toString()));
    s.putRelease(
        new Statistics.StoredRelease(
            day, policy.epsilonPerDay().toString(), receipt.getLeafIndex(), sha.bytes(), body));
    s.dropTallies(day);
    return Optional.empty();
  }
}

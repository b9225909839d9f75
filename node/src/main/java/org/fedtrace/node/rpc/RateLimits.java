package org.fedtrace.node.rpc;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The per-caller rate limits of spec R6.16, checked at step 5 of §6.4 (after the node state): a
 * token bucket of requests for every exchange RPC and one of keys for the keys a caller pushes with
 * PublishBatch. Each bucket holds one second of its rate (the burst) and refills continuously on
 * the node's {@link Clock}. A call that finds too few tokens is refused with RESOURCE_EXHAUSTED and
 * the time after which it would pass (R20.7).
 *
 * <p>A push of more keys than one second's worth is admitted when the bucket is full, and the
 * bucket then goes into debt, so the average stays at the rate and no valid batch is refused
 * forever. Only members get past the identity check, so there is one pair of buckets per member.
 * Thread-safe.
 */
public final class RateLimits {
  private final double requestsPerSecond;
  private final double keysPerSecond;
  private final Clock clock;
  private final ConcurrentMap<OperatorIdentity, Buckets> callers = new ConcurrentHashMap<>();

  /**
   * @param requestsPerSecond exchange RPCs per second and caller ({@code
   *     limits.requestsPerSecondPerPeer})
   * @param keysPerSecond pushed keys per second and caller ({@code limits.keysPerSecondPerPeer})
   */
  public RateLimits(double requestsPerSecond, double keysPerSecond, Clock clock) {
    if (!(requestsPerSecond > 0) || !(keysPerSecond > 0)) {
      throw new IllegalArgumentException("rates must be positive");
    }
    this.requestsPerSecond = requestsPerSecond;
    this.keysPerSecond = keysPerSecond;
    this.clock = clock;
  }

  /**
   * Admits one exchange RPC of {@code caller} that pushes {@code pushedKeys} keys (0 for RPCs that
   * push none), taking its tokens.
   *
   * @throws RuleViolation {@link Rule#RATE_LIMITED} with the delay after which the call would pass
   */
  public void admit(OperatorIdentity caller, long pushedKeys) {
    long now = nanos(clock.instant());
    Buckets b =
        callers.computeIfAbsent(
            caller,
            c -> new Buckets(new Bucket(requestsPerSecond, now), new Bucket(keysPerSecond, now)));
    synchronized (b) {
      long wait = b.requests.take(1, now);
      if (wait > 0) {
        throw refusal(
            caller + " exceeds " + rate(requestsPerSecond) + " requests per second", wait);
      }
      if (pushedKeys > 0) {
        wait = b.keys.take(pushedKeys, now);
        if (wait > 0) {
          throw refusal(
              caller + " exceeds " + rate(keysPerSecond) + " pushed keys per second", wait);
        }
      }
    }
  }

  private static RuleViolation refusal(String what, long waitNanos) {
    return new RuleViolation(
        Rule.RATE_LIMITED, what + "; retry later", Duration.ofNanos(waitNanos));
  }

  private static String rate(double perSecond) {
    return BigDecimal.valueOf(perSecond).stripTrailingZeros().toPlainString();
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private record Buckets(Bucket requests, Bucket keys) {}

  /** Tokens refilled at {@code rate} per second up to one second's worth. Not thread-safe. */
  static final class Bucket {
    /** Tolerance for rounding in the refill arithmetic. */
    private static final double EPSILON = 1e-9;

    private final double rate;
    private double tokens;
    private long lastNanos;

    Bucket(double rate, long nowNanos) {
      this.rate = rate;
      this.tokens = rate;
      this.lastNanos = nowNanos;
    }

    /**
     * Takes {@code cost} tokens at {@code nowNanos}.
     *
     * @return 0 when taken, else the nanoseconds until enough tokens will be there (nothing taken)
     */
    long take(double cost, long nowNanos) {
      if (nowNanos > lastNanos) {
        tokens = Math.min(rate, tokens + (nowNanos - lastNanos) / 1e9 * rate);
        lastNanos = nowNanos;
      }
      double needed = Math.min(cost, rate);
      if (tokens >= needed - EPSILON) {
        tokens -= cost;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((needed - tokens) / rate * 1e9));
    }
  }
}

package org.fedtrace.node.web;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.fedtrace.node.rpc.RateLimits;

/**
 * The public endpoint's rate limit (spec R16.9): a token bucket of requests per client address,
 * holding one second of the rate, as the gRPC limits of R6.16 do per member. Addresses idle for a
 * minute are forgotten, so the map holds only recent clients and nothing is kept about a visitor.
 * Thread-safe.
 */
final class ClientLimits {
  private static final long FORGET_NANOS = 60_000_000_000L;

  private final double requestsPerSecond;
  private final Clock clock;
  private final ConcurrentMap<InetAddress, Client> clients = new ConcurrentHashMap<>();
  private volatile long lastSweep;

  ClientLimits(double requestsPerSecond, Clock clock) {
    this.requestsPerSecond = requestsPerSecond;
    this.clock = clock;
  }

  /**
   * Takes a request token of {@code address}.
   *
   * @return 0 when admitted, else the whole seconds to wait (at least 1)
   */
  long admit(InetAddress address) {
    long now = nanos(clock.instant());
    sweep(now);
    Client c =
        clients.computeIfAbsent(
            address, a -> new Client(new RateLimits.Bucket(requestsPerSecond, now)));
    synchronized (c) {
      c.lastNanos = now;
      long wait = c.bucket.take(1, now);
      return wait == 0 ? 0 : Math.max(1, (wait + 999_999_999L) / 1_000_000_000L);
    }
  }

  private void sweep(long now) {
    if (now - lastSweep < FORGET_NANOS) {
      return;
    }
    lastSweep = now;
    clients.values().removeIf(c -> now - c.lastNanos > FORGET_NANOS);
  }

  private static long nanos(Instant t) {
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

  private static final class Client {
    final RateLimits.Bucket bucket;
    volatile long lastNanos;

    Client(RateLimits.Bucket bucket) {
      this.bucket = bucket;
    }
  }
}

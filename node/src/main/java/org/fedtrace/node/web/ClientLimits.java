package org.fedtrace.node.web;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The public endpoint's rate limit (spec R16.9): a token bucket of requests per client address,
 * holding one second of the rate and refilled continuously, as the gRPC limits of R6.16 are per
 * member (those belong to the Rpc layer, which the endpoint does not reach into). Addresses idle
 * for a minute are forgotten, so the map holds only recent clients and nothing is kept about a
 * visitor. Thread-safe.
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
    Client c = clients.computeIfAbsent(address, a -> new Client(requestsPerSecond, now));
    synchronized (c) {
      if (now > c.lastNanos) {
        double refill = (now - c.lastNanos) / 1e9 * requestsPerSecond;
        c.tokens = Math.min(requestsPerSecond, c.tokens + refill);
        c.lastNanos = now;
      }
      if (c.tokens >= 1) {
        c.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - c.tokens) / requestsPerSecond));
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

  /** One address's bucket; its tokens are guarded by the object's lock. */
  private static final class Client {
    double tokens;
    volatile long lastNanos;

    Client(double tokens, long nowNanos) {
      this.tokens = tokens;
      this.lastNanos = nowNanos;
    }
  }
}

package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.fedtrace.store.Store;
import org.fedtrace.store.StoreException;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.TestPostgres;
import org.junit.jupiter.api.Test;

/** Leases of two replicas on one PostgreSQL store: one holder, take-over on expiry, fencing. */
class JobLeaseTest {
  @Test
  void oneReplicaHoldsAJobAndAnotherTakesItOnceTheLeaseExpiresFencingTheFirstOut() {
    String url = TestPostgres.newDatabase();
    MutableClock clock = new MutableClock(Instant.parse("2026-12-06T12:00:00Z"));
    try (Store one = PostgresStore.open(TestPostgres.options(url));
        Store two = PostgresStore.open(TestPostgres.options(url))) {
      JobLease a = new JobLease(one, "purge", "replica-a", clock);
      JobLease b = new JobLease(two, "purge", "replica-b", clock);
      assertTrue(a.hold());
      assertFalse(b.hold(), "held by a");
      clock.advance(Duration.ofMillis(JobLease.TTL_MILLIS - 1));
      assertTrue(a.hold(), "renewed");
      clock.advance(Duration.ofMillis(JobLease.TTL_MILLIS - 1));
      assertFalse(b.hold(), "the renewal keeps it a's");
      one.write(
          tx -> {
            a.check(tx);
            return null;
          });

      clock.advance(Duration.ofMillis(JobLease.TTL_MILLIS + 1)); // a paused, or died
      assertTrue(b.hold(), "taken over");
      assertEquals(
          Optional.of("replica-b"), two.read(tx -> tx.leases().holder("purge", clock.millis())));
      StoreException fenced =
          assertThrows(
              StoreException.class,
              () ->
                  one.write(
                      tx -> {
                        a.check(tx);
                        return null;
                      }));
      assertEquals(
          "the lease 'purge' is no longer this replica's (replica-a)", fenced.getMessage());
      assertFalse(a.hold(), "a comes back and finds the job taken");

      b.release();
      assertTrue(a.hold(), "a released lease is taken at once");
    }
  }
}

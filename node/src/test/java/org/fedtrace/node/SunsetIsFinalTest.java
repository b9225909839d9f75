package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;

import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.testing.MutableClock;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R21.11: a node that reached SUNSET stays there: restarted with its clock set back before the
 * sunset date, it still refuses exchange (the store remembers the sunset).
 */
class SunsetIsFinalTest {
  @TempDir Path dir;
  private final MutableClock clock = MutableClock.atSystemTime();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    f.close();
  }

  @Test
  void aRestartWithTheClockBeforeTheSunsetDoesNotReopenExchange() throws Exception {
    f = TestFederation.create(dir, clock, "DE", "FR");
    LocalDate sunset = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(1);
    AgreementTerms t = f.pki().terms();
    f.pki()
        .setTerms(
            new AgreementTerms(
                t.federation(),
                t.version(),
                t.retentionDays(),
                sunset,
                t.members(),
                t.healthAuthorities()));
    f.startNode("DE");
    java.time.Instant before = clock.instant();
    clock.set(sunset.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    f.node("DE").housekeeping(); // reaches SUNSET and erases
    TestBatches batches = new TestBatches(71, before);
    PublishBatchRequest push =
        PublishBatchRequest.newBuilder()
            .setBatch(
                Signatures.sign(
                    batches.batch("FR", 1, batches.keys(2, 2)), f.credentials("FR").signing()))
            .build();
    String closed = "R21.6: the federation agreement ended on " + sunset + "; exchange is closed";
    refused(
        Status.Code.FAILED_PRECONDITION, closed, () -> f.federation("DE", "FR").publishBatch(push));
    f.stopNode("DE");

    clock.set(before.plus(Duration.ofMinutes(1))); // the clock is set back before the sunset
    f.startNode("DE");
    refused(
        Status.Code.FAILED_PRECONDITION, closed, () -> f.federation("DE", "FR").publishBatch(push));
  }
}

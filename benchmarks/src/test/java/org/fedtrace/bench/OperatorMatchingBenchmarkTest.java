package org.fedtrace.bench;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.fedtrace.matching.MatchResult;
import org.fedtrace.matching.Matcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator-matching harness measures something correct: its planted exposures are what the
 * engine and a real node find, and its checks fail when they are not. Sizes are tiny; no figure is
 * asserted (timed assertions do not belong in unit tests).
 */
class OperatorMatchingBenchmarkTest {
  @TempDir Path dir;

  @Test
  void aTinyRunFindsExactlyThePlantedExposuresInTheNodeAndInTheEngine() throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    OperatorMatchingBenchmark b = new OperatorMatchingBenchmark(new PrintStream(text, true, UTF_8));
    b.parse(
        new String[] {
          "--observations", "20000",
          "--keys-per-batch", "500",
          "--batches-per-round", "2",
          "--rounds", "1",
          "--warmup-rounds", "0",
          "--threads", "1",
          "--latency-batches", "1",
          "--planted-per-batch", "5",
          "--probe-millis", "0",
          "--dir", dir.toString()
        });
    b.run();
    String printed = text.toString(UTF_8);
    assertTrue(
        Pattern.compile(
                "check: GetExposures of all 2 devices answered (\\d+) exposures, exactly"
                    + " the \\1 planted")
            .matcher(printed)
            .find(),
        printed);
  }

  @Test
  void theChecksFailWhenAnExposureIsMissingOrExtra() throws Exception {
    try (BenchFederation f = new BenchFederation(dir, "DE")) {
      Instant now = Instant.now();
      OperatorWorkload w =
          OperatorWorkload.generate(
              new SignedBatches("DE", f.signer("DE"), now, 1, true), now, 20_000, 1, 500, 5, 1);
      assertEquals(6, w.expected().size(), "5 keys, one of them heard by a second device");
      MatchResult r;
      try (Matcher m = Matcher.create(1)) {
        r = m.match(w.index(), w.batches().get(0).keys());
      }
      w.checkEngine(0, r);
      MatchResult missing =
          new MatchResult(r.exposures().subList(1, 6), r.rpis(), r.matchedObservations());
      assertThrows(IllegalStateException.class, () -> w.checkEngine(0, missing));
      MatchResult fewer = new MatchResult(r.exposures(), r.rpis(), r.matchedObservations() - 1);
      assertThrows(IllegalStateException.class, () -> w.checkEngine(0, fewer));

      OperatorWorkload.Expected x = w.expected().get(0);
      List<String> seen =
          w.expected().stream()
              .filter(e -> e.device() == x.device())
              .map(OperatorWorkload.Expected::asSeen)
              .toList();
      w.checkDevice(x.device(), 1, seen);
      assertThrows(
          IllegalStateException.class,
          () -> w.checkDevice(x.device(), 1, seen.subList(1, seen.size())));
      assertThrows(IllegalStateException.class, () -> w.checkDevice(x.device(), 0, seen));
    }
  }
}

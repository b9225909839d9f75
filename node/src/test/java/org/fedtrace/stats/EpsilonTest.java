package org.fedtrace.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EpsilonTest {
  @Test
  void parsesDecimalsExactlyAndSumsWithoutRounding() {
    Epsilon tenth = Epsilon.parse("0.1");
    assertEquals(new Epsilon(1, 10), tenth);
    Epsilon sum = tenth;
    for (int i = 1; i < 10; i++) {
      sum = sum.plus(tenth);
    }
    assertEquals(new Epsilon(1, 1), sum); // ten doubles of 0.1 sum to 0.9999999999999999
    assertEquals("1", sum.toString());
    assertEquals("0.25", Epsilon.parse("0.250").toString());
    assertEquals("1/3", new Epsilon(2, 6).toString());
    assertTrue(Epsilon.parse("0.5").compareTo(new Epsilon(1, 3)) > 0);
  }

  @Test
  void refusesWhatIsNotAPositiveDecimal() {
    assertEquals(
        "epsilon must be positive: 0",
        assertThrows(IllegalArgumentException.class, () -> Epsilon.parse("0")).getMessage());
    assertEquals(
        "epsilon is not a decimal number: one",
        assertThrows(IllegalArgumentException.class, () -> Epsilon.parse("one")).getMessage());
    assertEquals(
        "epsilon has more than 9 decimal places: 0.0000000001",
        assertThrows(IllegalArgumentException.class, () -> Epsilon.parse("0.0000000001"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Epsilon(-1, 2));
  }

  @Test
  void theMechanismIsUnbiasedWithTheVarianceItStates() {
    LaplaceMechanism m =
        new LaplaceMechanism(new ExactSampler(new SplittableRandom(12)), Epsilon.parse("0.5"), 2);
    assertEquals(4.0, m.scale(), 1e-12);
    long count = 1_000;
    int n = 100_000;
    long[] noise = new long[n];
    for (int i = 0; i < n; i++) {
      noise[i] = m.release(count) - count;
    }
    Fit.check(ExactSamplerTest.laplacePmf(4.0), noise);
    double p = Math.exp(-0.25);
    assertEquals(2 * p / ((1 - p) * (1 - p)), m.variance(), 1e-9);
  }

  @Test
  void refusesASensitivityBelowOne() {
    ExactSampler s = new ExactSampler(new SplittableRandom(13));
    assertEquals(
        "sensitivity must be at least 1: 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> new LaplaceMechanism(s, Epsilon.parse("1"), 0))
            .getMessage());
  }
}

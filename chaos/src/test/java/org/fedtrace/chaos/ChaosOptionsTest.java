package org.fedtrace.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
  @Test
  void aTimeAloneMeansAsManyRoundsAsFit() {
    ChaosOptions o = ChaosOptions.parse(new String[] {"--minutes", "2", "--seed", "5"});
    assertEquals(Integer.MAX_VALUE, o.rounds());
    assertEquals(Duration.ofMinutes(2), o.budget());
    assertEquals(5, o.seed());
    assertEquals(EnumSet.allOf(FaultKind.class), o.faults());
  }

  @Test
  void faultsAreChosenByTheirShortNames() {
    ChaosOptions o = ChaosOptions.parse(new String[] {"--faults", "kill,disk", "--rounds", "3"});
    assertEquals(EnumSet.of(FaultKind.KILL, FaultKind.DISK_FULL), o.faults());
    assertEquals(3, o.rounds());
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertEquals(
        "unknown fault fire (kill, disk, damage, partition, skew)",
        assertThrows(
                IllegalArgumentException.class,
                () -> ChaosOptions.parse(new String[] {"--faults", "fire"}))
            .getMessage());
    assertEquals(
        "--nodes: 2 to 8, not 9",
        assertThrows(
                IllegalArgumentException.class,
                () -> ChaosOptions.parse(new String[] {"--nodes", "9"}))
            .getMessage());
    assertEquals(
        "--rounds needs a positive whole number, not 0",
        assertThrows(
                IllegalArgumentException.class,
                () -> ChaosOptions.parse(new String[] {"--rounds", "0"}))
            .getMessage());
  }
}

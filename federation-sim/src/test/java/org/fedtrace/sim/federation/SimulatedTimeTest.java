package org.fedtrace.sim.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedTimeTest {
  private static final Instant START = Instant.parse("2021-03-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void aNodeMappingTheFileReadsTheTimeTheSimulatorWrites() throws IOException {
    Path file = dir.resolve("time");
    try (SimulatedTime simulator = SimulatedTime.create(file, START, 2);
        SimulatedTime node = SimulatedTime.open(file)) {
      assertEquals(START, node.clock().instant());

      simulator.advanceTo(START.plus(Duration.ofHours(5)));

      assertEquals(START.plus(Duration.ofHours(5)), node.clock().instant());
      assertEquals(START.plus(Duration.ofHours(5)).toEpochMilli(), node.clock().millis());
      assertEquals(2, node.slots());
    }
    // the first word is the time in epoch milliseconds, big-endian, as documented
    assertEquals(
        START.plus(Duration.ofHours(5)).toEpochMilli(),
        ByteBuffer.wrap(Files.readAllBytes(file)).getLong(0));
  }

  @Test
  void timeOnlyMovesForward() throws IOException {
    try (SimulatedTime t = SimulatedTime.create(dir.resolve("time"), START, 1)) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> t.advanceTo(START.minus(Duration.ofHours(1))));
      assertEquals(
          "simulated time only moves forward: 2021-02-28T23:00:00Z is before 2021-03-01T00:00:00Z",
          e.getMessage());
    }
  }

  @Test
  void aNodeCarriesOutEachRequestOnceWithHousekeepingWhenAsked() throws Exception {
    Path file = dir.resolve("time");
    try (SimulatedTime simulator = SimulatedTime.create(file, START, 2);
        SimulatedTime node = SimulatedTime.open(file)) {
      List<Boolean> runs = new CopyOnWriteArrayList<>();
      Thread serving =
          new Thread(() -> node.serve(1, runs::add, Duration.ofNanos(1000)), "serve-test");
      serving.start();
      try {
        long first = simulator.request(true);
        awaitFinished(simulator, 1, first);
        long second = simulator.request(false);
        awaitFinished(simulator, 1, second);

        assertEquals(List.of(true, false), runs);
        assertEquals(0, simulator.finished(0), "slot 0 has no node");
      } finally {
        serving.interrupt();
        serving.join();
      }
    }
  }

  @Test
  void aFailedRequestMarksTheSlot() throws IOException {
    Path file = dir.resolve("time");
    try (SimulatedTime simulator = SimulatedTime.create(file, START, 1);
        SimulatedTime node = SimulatedTime.open(file)) {
      simulator.request(false);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  node.serve(
                      0,
                      housekeeping -> {
                        throw new IllegalStateException("store failure");
                      },
                      Duration.ofMillis(1)));
      assertEquals("store failure", e.getMessage());
      assertEquals(SimulatedTime.FAILED, simulator.finished(0));
    }
  }

  @Test
  void refusesOtherFilesAndSlotsOutOfRange() throws IOException {
    Path other = Files.write(dir.resolve("other"), new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class, () -> SimulatedTime.open(other));
    assertEquals(other + " is not a simulated-time file (3 bytes)", e.getMessage());

    Path zeros = Files.write(dir.resolve("zeros"), new byte[64]);
    e = assertThrows(IOException.class, () -> SimulatedTime.open(zeros));
    assertEquals(zeros + " is not a simulated-time file (0 slots)", e.getMessage());

    Path file = dir.resolve("time");
    try (SimulatedTime t = SimulatedTime.create(file, START, 2)) {
      IllegalArgumentException bad =
          assertThrows(IllegalArgumentException.class, () -> t.finished(2));
      assertEquals("slot 2 is not in 0..1 of " + file, bad.getMessage());
    }
  }

  /** Spins (as the simulator does on this shared memory) until the slot finished the request. */
  private static void awaitFinished(SimulatedTime t, int slot, long request) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (t.finished(slot) != request) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("slot " + slot + " never finished request " + request);
      }
      Thread.onSpinWait();
    }
  }
}

package org.fedtrace.sim.federation;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.locks.LockSupport;

/**
 * Simulation only: the simulated time of a federation whose nodes run as separate processes, and
 * the simulator's requests to them, in a small memory-mapped file that the simulator writes and
 * every node process maps ({@link SimulatedNode}, the main class of a simulated node process). No
 * production node uses it: it is the simulator's, for {@code fedtrace simulate --processes}.
 *
 * <p>The file is a sequence of big-endian 64-bit words:
 *
 * <pre>
 *   offset 0    simulated time, epoch milliseconds: the nodes' clock
 *   offset 8    exchange requests the simulator has made so far
 *   offset 16   housekeeping requests the simulator has made so far
 *   offset 24   number of node slots n
 *   offset 32+8i  slot i (i below n): the last exchange request node i has finished, or FAILED
 * </pre>
 *
 * <p>An exchange request asks each node to do what an in-process node does when the simulator calls
 * {@code Node.housekeeping} (only when a housekeeping request came with it), {@code
 * Node.publishDue} and {@code Node.matchStored} (which matches only in operator-assisted mode): the
 * simulator makes the request after the uploads of a simulated hour and waits until every node has
 * finished it, so a batch holds the same keys as with nodes in the simulator's process, whatever
 * the processes' timing; in operator-assisted mode it makes a second request at the same simulated
 * time once every node holds every batch, so that each matches what arrived (publishing nothing
 * more). The nodes run with their own background batching, purging and matching off.
 *
 * <p>Memory model: words are read and written with volatile semantics through a {@link VarHandle}
 * view of the mapped buffer (aligned 8-byte accesses, which are atomic). The Java memory model
 * speaks of threads of one process only; across processes this relies on the JVM compiling volatile
 * accesses to the processor's ordered loads and stores (plain moves plus a fence on x86,
 * load-acquire and store-release on ARM), which order accesses to the shared physical page for
 * every process that maps it. The simulator writes the housekeeping word before the request word,
 * and a node reads them in the opposite order, so a node that sees a request also sees the
 * housekeeping request made with it. Only the simulator writes the first three words and only node
 * i writes slot i, so no word needs an atomic read-modify-write.
 */
public final class SimulatedTime implements AutoCloseable {
  /** A slot's value after its node failed to carry out a request (the node then exits). */
  public static final long FAILED = -1;

  private static final VarHandle WORDS =
      MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final int NOW = 0;
  private static final int REQUESTS = 8;
  private static final int HOUSEKEEPING = 16;
  private static final int SLOTS = 24;
  private static final int FIRST_SLOT = 32;

  private final Path file;
  private final FileChannel channel;
  private final MappedByteBuffer words;
  private final int slots;

  private SimulatedTime(Path file, FileChannel channel, MappedByteBuffer words, int slots) {
    this.file = file;
    this.channel = channel;
    this.words = words;
    this.slots = slots;
  }

  /**
   * Creates the file (the simulator's side), standing at {@code start}, with {@code slots} node
   * slots and no request made yet.
   *
   * @throws IOException if the file exists or cannot be written
   */
  public static SimulatedTime create(Path file, Instant start, int slots) throws IOException {
    if (slots < 1) {
      throw new IllegalArgumentException("at least one node slot, got " + slots);
    }
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      MappedByteBuffer words =
          channel.map(FileChannel.MapMode.READ_WRITE, 0, FIRST_SLOT + 8L * slots);
      SimulatedTime t = new SimulatedTime(file, channel, words, slots);
      WORDS.setVolatile(words, SLOTS, (long) slots);
      WORDS.setVolatile(words, NOW, start.toEpochMilli());
      return t;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Maps an existing file (a node's side).
   *
   * @throws IOException if the file cannot be read or is not a simulated-time file
   */
  public static SimulatedTime open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      long size = channel.size();
      if (size < FIRST_SLOT + 8) {
        throw new IOException(file + " is not a simulated-time file (" + size + " bytes)");
      }
      MappedByteBuffer words = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
      long slots = (long) WORDS.getVolatile(words, SLOTS);
      if (slots < 1 || FIRST_SLOT + 8 * slots > size) {
        throw new IOException(file + " is not a simulated-time file (" + slots + " slots)");
      }
      return new SimulatedTime(file, channel, words, (int) slots);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** The file. */
  public Path file() {
    return file;
  }

  /** Number of node slots. */
  public int slots() {
    return slots;
  }

  /** The simulated time now. */
  public Instant now() {
    return Instant.ofEpochMilli((long) WORDS.getVolatile(words, NOW));
  }

  /** A clock in UTC that reads the simulated time from the file at every call. */
  public Clock clock() {
    return new MappedClock(ZoneOffset.UTC);
  }

  /**
   * Moves the simulated time forward to {@code time} (the simulator's side).
   *
   * @throws IllegalArgumentException if {@code time} is before the current simulated time
   */
  public void advanceTo(Instant time) {
    Instant now = now();
    if (time.isBefore(now)) {
      throw new IllegalArgumentException(
          "simulated time only moves forward: " + time + " is before " + now);
    }
    WORDS.setVolatile(words, NOW, time.toEpochMilli());
  }

  /**
   * Asks every node for an exchange (the simulator's side): housekeeping first when {@code
   * housekeeping}, then publishing what is due and matching what is stored.
   *
   * @return the request's number, which {@link #finished} reaches when a node is done with it
   */
  public long request(boolean housekeeping) {
    if (housekeeping) {
      WORDS.setVolatile(words, HOUSEKEEPING, (long) WORDS.getVolatile(words, HOUSEKEEPING) + 1);
    }
    long request = (long) WORDS.getVolatile(words, REQUESTS) + 1;
    WORDS.setVolatile(words, REQUESTS, request);
    return request;
  }

  /** The last request the node in {@code slot} has finished, 0 for none, or {@link #FAILED}. */
  public long finished(int slot) {
    return (long) WORDS.getVolatile(words, slotOffset(slot));
  }

  /** What a node does for one exchange request. */
  @FunctionalInterface
  public interface Exchange {
    /**
     * Runs housekeeping when asked, then publishes what is due and matches what is stored.
     *
     * @throws RuntimeException when the node cannot; the slot is then marked {@link #FAILED}
     */
    void run(boolean housekeeping);
  }

  /**
   * Carries out the simulator's requests for the node in {@code slot} until the thread is
   * interrupted (a node's side): looks for a new request every {@code poll} of real time, runs
   * {@code exchange} for it and records it as finished.
   *
   * @throws RuntimeException what {@code exchange} threw, after marking the slot {@link #FAILED}
   */
  public void serve(int slot, Exchange exchange, Duration poll) {
    int offset = slotOffset(slot);
    long done = (long) WORDS.getVolatile(words, offset);
    long housekept = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long request = (long) WORDS.getVolatile(words, REQUESTS);
      if (request == done) {
        LockSupport.parkNanos(poll.toNanos());
        continue;
      }
      long housekeeping = (long) WORDS.getVolatile(words, HOUSEKEEPING);
      try {
        exchange.run(housekeeping != housekept);
      } catch (RuntimeException e) {
        WORDS.setVolatile(words, offset, FAILED);
        throw e;
      }
      housekept = housekeeping;
      done = request;
      WORDS.setVolatile(words, offset, request);
    }
  }

  private int slotOffset(int slot) {
    if (slot < 0 || slot >= slots) {
      throw new IllegalArgumentException(
          "slot " + slot + " is not in 0.." + (slots - 1) + " of " + file);
    }
    return FIRST_SLOT + 8 * slot;
  }

  /** Closes the file; the mapping itself goes with the garbage collector. */
  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The nodes' clock: the first word of the file. */
  private final class MappedClock extends Clock {
    private final ZoneId zone;

    MappedClock(ZoneId zone) {
      this.zone = zone;
    }

    @Override
    public Instant instant() {
      return now();
    }

    @Override
    public long millis() {
      return (long) WORDS.getVolatile(words, NOW);
    }

    @Override
    public ZoneId getZone() {
      return zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return new MappedClock(zone);
    }
  }
}

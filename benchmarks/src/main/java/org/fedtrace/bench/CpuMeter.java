package org.fedtrace.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time used by the process and by groups of its threads, between two snapshots. Threads are
 * grouped by name (the harness names every pool it creates); the process total also holds what no
 * Java thread accounts for: garbage collection and the JIT compilers.
 */
final class CpuMeter {
  /** Thread groups, first match wins: a name fragment and the label reported. */
  private static final String[][] GROUPS = {
    {"-FR", "receiving node FR"},
    {"-IT", "following node IT"},
    {"client", "benchmark clients"},
    {"grpc-", "gRPC default pools (node IT's peer channel)"},
  };

  /** The JVM's own threads, by the name Linux knows them by: a prefix and the label reported. */
  private static final String[][] NATIVE = {
    {"C1 CompilerThre", "of which JIT compilers"},
    {"C2 CompilerThre", "of which JIT compilers"},
    {"GC Thread", "of which garbage collector"},
    {"G1 ", "of which garbage collector"},
  };

  /** Linux's clock ticks per second, the unit of /proc CPU times. */
  private static final long TICKS_PER_SECOND = 100;

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** CPU nanoseconds per group, with "process" and "GC, JIT and other" totals. */
  record Snapshot(long wallNanos, Map<String, Long> cpuNanos) {}

  Snapshot snapshot() {
    Map<String, Long> cpu = new LinkedHashMap<>();
    for (String[] g : GROUPS) {
      cpu.put(g[1], 0L);
    }
    long javaThreads = 0;
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      long t = threads.getThreadCpuTime(ids[i]);
      if (t < 0 || infos[i] == null) {
        continue;
      }
      javaThreads += t;
      cpu.merge(group(infos[i].getThreadName()), t, Long::sum);
    }
    long process = os.getProcessCpuTime();
    cpu.put("GC, JIT and other", process - javaThreads);
    cpu.putAll(nativeThreads());
    cpu.put("process", process);
    return new Snapshot(System.nanoTime(), cpu);
  }

  /**
   * CPU time of the JVM's compiler and collector threads, which are not Java threads, from
   * /proc/self/task on Linux (in clock ticks of 10 ms); nothing elsewhere.
   */
  private static Map<String, Long> nativeThreads() {
    Map<String, Long> out = new LinkedHashMap<>();
    Path tasks = Path.of("/proc/self/task");
    if (!Files.isDirectory(tasks)) {
      return out;
    }
    for (String[] n : NATIVE) {
      out.put(n[1], 0L);
    }
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tasks)) {
      for (Path task : dir) {
        String stat;
        try {
          stat = Files.readString(task.resolve("stat"));
        } catch (IOException e) {
          continue; // the thread ended
        }
        String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        for (String[] n : NATIVE) {
          if (name.startsWith(n[0])) {
            out.merge(n[1], ticks * (1_000_000_000L / TICKS_PER_SECOND), Long::sum);
            break;
          }
        }
      }
    } catch (IOException e) {
      return Map.of();
    }
    return out;
  }

  private static String group(String threadName) {
    for (String[] g : GROUPS) {
      if (threadName.contains(g[0])) {
        return g[1];
      }
    }
    return "other Java threads";
  }

  /** CPU seconds per group between {@code before} and {@code after}. */
  static Map<String, Double> seconds(Snapshot before, Snapshot after) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : after.cpuNanos().entrySet()) {
      long b = before.cpuNanos().getOrDefault(e.getKey(), 0L);
      out.put(e.getKey(), (e.getValue() - b) / 1e9);
    }
    return out;
  }

  /**
   * The cores a busy loop on every processor obtains for {@code millis}: how much of the machine
   * other processes leave to this one right now.
   */
  static double coresObtained(long millis) throws InterruptedException {
    int n = cores();
    Thread[] spinners = new Thread[n];
    long end = System.nanoTime() + millis * 1_000_000L;
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu = os.getProcessCpuTime();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      spinners[i] =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  Thread.onSpinWait();
                }
              });
      spinners[i].start();
    }
    for (Thread t : spinners) {
      t.join();
    }
    return (os.getProcessCpuTime() - cpu) / (double) (System.nanoTime() - start);
  }

  /** Processors the JVM may use. */
  static int cores() {
    return Runtime.getRuntime().availableProcessors();
  }
}

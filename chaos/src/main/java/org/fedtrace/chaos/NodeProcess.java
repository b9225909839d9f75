package org.fedtrace.chaos;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One node, run as {@code java -jar fedtrace.jar node --config FILE} in a process of its own, its
 * output appended to {@code node.log} in its folder. A clock skew is applied by preloading
 * libfaketime into the JVM: the wall clock moves, the monotonic clock the JVM times waits with does
 * not.
 */
final class NodeProcess {
  /** Debian's libfaketime. */
  static final Path FAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1");

  /** util-linux's setpriv, which sets the node's parent-death signal. */
  private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);
  private static final String LISTENING = " listening on port ";

  private final String country;
  private final Path folder;
  private final Path config;
  private final Path jar;
  private final int port;
  private final Path log;
  private Process process;
  private long skewSeconds;

  /** How a start that should have been refused ended. */
  record Refusal(boolean listened, int exitStatus, String output) {}

  NodeProcess(String country, Path folder, Path config, Path jar, int port) {
    this.country = country;
    this.folder = folder;
    this.config = config;
    this.jar = jar;
    this.port = port;
    this.log = folder.resolve("node.log");
  }

  String country() {
    return country;
  }

  int port() {
    return port;
  }

  /** The node's folder: its configuration, credentials and {@code data}. */
  Path folder() {
    return folder;
  }

  /** The clock offset the node runs with, in seconds. */
  long skewSeconds() {
    return skewSeconds;
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the node with its clock {@code skew} seconds off and waits until it listens.
   *
   * @throws IllegalStateException if it exits or does not listen in time, with its output
   */
  void start(long skew) throws IOException {
    long from = launch(skew);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (!since(from).contains(LISTENING + port)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "node "
                + country
                + " exited with status "
                + process.exitValue()
                + " while starting:\n"
                + tail(since(from)));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "node " + country + " did not listen within " + START_TIMEOUT.toSeconds() + " s");
      }
      sleep(20);
    }
  }

  /**
   * Starts the node on a store it must refuse, and waits until it exits or listens (it is then
   * killed).
   */
  Refusal startExpectingRefusal() throws IOException, InterruptedException {
    long from = launch(skewSeconds);
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      if (since(from).contains(LISTENING + port)) {
        kill();
        return new Refusal(true, -1, tail(since(from)));
      }
      process.waitFor(20, TimeUnit.MILLISECONDS);
    }
    if (process.isAlive()) {
      kill();
      return new Refusal(true, -1, "(neither listened nor exited in time)");
    }
    return new Refusal(false, process.exitValue(), tail(since(from)));
  }

  private long launch(long skew) throws IOException {
    if (alive()) {
      throw new IllegalStateException("node " + country + " is already running");
    }
    this.skewSeconds = skew;
    final long from = Files.exists(log) ? Files.size(log) : 0;
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(SETPRIV)) {
      // the node is killed when the harness dies, even by SIGKILL: no node outlives a run
      command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    command.addAll(List.of("node", "--config", config.toString()));
    ProcessBuilder b = new ProcessBuilder(command);
    if (skew != 0) {
      Map<String, String> env = b.environment();
      env.put("LD_PRELOAD", FAKETIME.toString());
      env.put("FAKETIME", (skew > 0 ? "+" : "") + skew + "s");
      // the JVM times its waits on the monotonic clock: left alone, and without libfaketime's
      // "monotonic fix", which made the JVM's own threads spin (measured: seconds of CPU a second)
      env.put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
      env.put("FAKETIME_FORCE_MONOTONIC_FIX", "0");
    }
    Files.writeString(
        log,
        "=== chaos: start (clock " + (skew >= 0 ? "+" : "") + skew + " s)\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    process =
        b.directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    return from;
  }

  /** SIGKILL: no drain, no shutdown hook; waits until the process is gone. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly().waitFor();
    }
  }

  /** SIGTERM: the node drains and closes its store; killed if it takes too long. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
    }
  }

  /** The exit status of a process that ended, for a report. */
  String exitDescription() {
    return process == null ? "never started" : "exited with status " + process.exitValue();
  }

  /** The end of the node's output. */
  String logTail() {
    try {
      return tail(since(Math.max(0, Files.size(log) - 4000)));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  private String since(long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long length = f.length();
      if (length <= offset) {
        return "";
      }
      byte[] b = new byte[(int) (length - offset)];
      f.seek(offset);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8);
    }
  }

  private static String tail(String output) {
    String[] lines = output.split("\n");
    int from = Math.max(0, lines.length - 12);
    return String.join("\n", java.util.Arrays.copyOfRange(lines, from, lines.length));
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

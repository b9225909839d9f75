package org.fedtrace.conformance;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.fedtrace.testing.Fault;

/**
 * Test scaffolding: our node in a process of its own, optionally with deliberate defects ({@link
 * Fault}), reached by the suite only through its port, as {@code fedtrace conformance --target}
 * reaches a node. The child process runs {@link #main}, which starts an {@link InProcessTarget}
 * (its kit written to {@code ROOT/kit}), prints {@value #READY} and the port, and stops when its
 * standard input closes, so that a test that dies takes its nodes with it. No production command
 * can start a node with a fault: only this test code passes one to the node's seam.
 */
final class NodeProcess implements AutoCloseable {
  /** The line prefix the child prints once the node listens, followed by the port. */
  static final String READY = "conformance node listening on port ";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final Process process;
  private final int port;
  private final Path root;

  private NodeProcess(Process process, int port, Path root) {
    this.process = process;
    this.port = port;
    this.root = root;
  }

  /**
   * Starts our node with {@code faults} in a new process under {@code root}, on the kit's agreement
   * or, with {@code pastSunset}, on the kit's past-sunset agreement; returns once it listens.
   *
   * @throws IllegalStateException if the node does not listen within two minutes
   */
  static NodeProcess start(Path root, Set<Fault> faults, boolean pastSunset) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String faultList =
        faults.isEmpty()
            ? "none"
            : faults.stream().map(Fault::name).collect(Collectors.joining(","));
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                NodeProcess.class.getName(),
                root.toString(),
                faultList,
                pastSunset ? "past-sunset" : "active")
            .redirectErrorStream(true)
            .start();
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    Thread watchdog =
        new Thread(
            () -> {
              try {
                if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                  p.destroyForcibly();
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "node-process-start-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith(READY)) {
        watchdog.interrupt();
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "node-process-out");
        drain.setDaemon(true);
        drain.start();
        return new NodeProcess(p, Integer.parseInt(line.substring(READY.length()).trim()), root);
      }
      seen.add(line);
    }
    p.destroyForcibly();
    throw new IllegalStateException(
        "the node process did not start (faults "
            + faultList
            + "); its output:\n"
            + String.join("\n", seen.subList(Math.max(0, seen.size() - 40), seen.size())));
  }

  /** The node's port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** The kit the node accepts. */
  Path kit() {
    return root.resolve("kit");
  }

  /** Closes the child's standard input, which stops it, and waits for it (forcibly after 30 s). */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // the child is gone already
    }
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The child: {@code ROOT FAULTS AGREEMENT}, where FAULTS is {@code none} or comma-separated
   * {@link Fault} names and AGREEMENT {@code active} or {@code past-sunset}.
   */
  public static void main(String[] args) throws IOException {
    Path root = Path.of(args[0]);
    Set<Fault> faults =
        args[1].equals("none")
            ? Set.of()
            : java.util.Arrays.stream(args[1].split(","))
                .map(Fault::valueOf)
                .collect(Collectors.toSet());
    InProcessTarget target =
        args[2].equals("past-sunset")
            ? InProcessTarget.startPastSunset(root, faults)
            : InProcessTarget.start(root, faults);
    System.out.println(READY + target.port());
    System.out.flush();
    while (System.in.read() != -1) {
      // runs until the parent closes our standard input (or dies)
    }
    target.close();
    System.exit(0);
  }
}

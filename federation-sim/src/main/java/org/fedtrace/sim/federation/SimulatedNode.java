package org.fedtrace.sim.federation;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeOptions;
import org.fedtrace.node.NodeSeam;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;

/**
 * The main class of a node process of {@link ProcessFederation}: a real node on the simulated time
 * of a {@link SimulatedTime} file, with its background batching, purging and matching off, that
 * carries out the simulator's requests from that file. Batch ids and padding keys come from a
 * seeded generator, so runs repeat exactly; certificates are still checked on the real clock.
 *
 * <pre>
 * java org.fedtrace.sim.federation.SimulatedNode --config FILE --clock FILE --slot N --seed N
 * </pre>
 *
 * <p>It prints "listening on port P" once it serves, or "cannot listen on" when its port was taken;
 * it exits when the simulator's process does, and with status 1 when a request fails.
 */
public final class SimulatedNode {
  /** How often the node looks for the simulator's next request, in real time. */
  private static final Duration POLL = Duration.ofMillis(1);

  private static final Duration DRAIN = Duration.ofSeconds(1);

  private SimulatedNode() {}

  /** Runs a simulated node until the simulator stops it; exits 1 or 2 when it cannot start. */
  public static void main(String[] args) throws Exception {
    Node node = start(args, System.err);
    if (node == null) {
      System.exit(2);
    }
  }

  /**
   * Starts the node and the thread that serves the simulator's requests.
   *
   * @return the node, or null after printing why it did not start to {@code err}
   */
  static Node start(String[] args, PrintStream err) throws IOException {
    Map<String, String> options;
    SimulatedTime time;
    int slot;
    try {
      options = options(args);
      slot = Integer.parseInt(options.get("--slot"));
      time = SimulatedTime.open(Path.of(options.get("--clock")));
      time.finished(slot); // checks the slot
    } catch (IllegalArgumentException | IOException e) {
      err.println("fedtrace: " + e.getMessage());
      return null;
    }
    Node node;
    try {
      NodeConfig config = NodeConfig.load(Path.of(options.get("--config")));
      Random seeded = new Random(Long.parseLong(options.get("--seed")));
      node = Node.create(config, time.clock(), new NodeOptions(seeded, NodeSeam.NONE, false));
      listen(node, config);
    } catch (InvalidConfigException | NodeStartException e) {
      err.println("fedtrace: " + e.getMessage());
      return null;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(node), "fedtrace-shutdown"));
    err.println("fedtrace node " + node.identity() + " listening on port " + node.port());
    err.flush();
    exitWithTheSimulator(err);
    Thread t = new Thread(() -> serve(time, slot, node, err), "fedtrace-simulated-time");
    t.start();
    return node;
  }

  private static void listen(Node node, NodeConfig config) throws NodeStartException {
    try {
      node.start();
    } catch (IOException e) {
      NodeConfig.Listen l = config.listen();
      throw new NodeStartException(
          "listen: cannot listen on " + l.host() + ":" + l.port() + ": " + e.getMessage());
    }
  }

  /** Carries out the simulator's requests; the process exits if the node cannot. */
  private static void serve(SimulatedTime time, int slot, Node node, PrintStream err) {
    try {
      time.serve(
          slot,
          housekeeping -> {
            if (housekeeping) {
              node.housekeeping();
            }
            node.publishDue(false);
            node.matchStored(); // operator-assisted matching; nothing in device mode
          },
          POLL);
    } catch (RuntimeException e) {
      err.println("fedtrace: simulated exchange failed: " + e);
      e.printStackTrace(err);
      err.flush();
      System.exit(1);
    }
  }

  /** A simulated node outlives no simulator, even one killed without running its hooks. */
  private static void exitWithTheSimulator(PrintStream err) {
    ProcessHandle.current()
        .parent()
        .ifPresent(
            simulator ->
                simulator
                    .onExit()
                    .thenRun(
                        () -> {
                          err.println("fedtrace: the simulator exited; stopping");
                          err.flush();
                          System.exit(0);
                        }));
  }

  private static void stop(Node node) {
    try {
      node.stop(DRAIN);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The options, each required. */
  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      out.put(args[i], args[i + 1]);
    }
    for (String name : new String[] {"--config", "--clock", "--slot", "--seed"}) {
      if (!out.containsKey(name)) {
        throw new IllegalArgumentException(
            name
                + " is missing; usage: SimulatedNode --config FILE --clock FILE --slot N --seed N");
      }
    }
    return out;
  }
}

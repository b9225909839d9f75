package org.fedtrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeConfig;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.SimulatedTime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace node}: run a federation node. */
@Command(
    name = "node",
    mixinStandardHelpOptions = true,
    description = {
      "Run a federation node from one YAML configuration file.",
      "",
      "The node serves the fedtrace.v1 Federation and Upload services",
      "(plus gRPC health and reflection) over TLS 1.3 with client",
      "certificates required, follows its peers, publishes its own padded",
      "batches, purges keys past the agreement's retention and stops",
      "exchange at its sunset. Ctrl-C drains in-flight calls and stops.",
      "Example with every setting: node/config/example-node.yaml."
    },
    footerHeading = "%nSettings (YAML; name, default, unit):%n",
    footer = "%s",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:stopped cleanly",
      "1:could not start (the message names the setting or file)",
      "2:bad command line"
    })
public final class NodeCommand implements Callable<Integer> {
  /** How often a simulated node looks for the simulator's next request, in real time. */
  private static final Duration SIMULATION_POLL = Duration.ofMillis(1);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The node's YAML configuration file.")
  Path config;

  @Option(
      names = "--drain-seconds",
      defaultValue = "10",
      paramLabel = "N",
      description = "Longest wait for in-flight calls at shutdown (default: ${DEFAULT-VALUE}).")
  int drainSeconds;

  /**
   * Simulation only, hidden from --help: run on the simulated time in this file and carry out the
   * simulator's exchange requests from it, with background batching and purging off ({@link
   * SimulatedTime}). {@code fedtrace simulate --processes} passes it; a deployed node never does.
   * Certificate validity is still checked on the real clock.
   */
  @Option(names = "--simulated-clock", hidden = true, paramLabel = "FILE")
  Path simulatedClock;

  /** Simulation only, hidden: this node's slot in the {@code --simulated-clock} file. */
  @Option(names = "--simulated-slot", hidden = true, defaultValue = "0", paramLabel = "N")
  int simulatedSlot;

  /**
   * Simulation only, hidden: seed of the batch ids and padding keys instead of a secure random
   * source, so that simulation runs repeat exactly. Never for a deployed node (R8.26).
   */
  @Option(names = "--simulated-seed", hidden = true, paramLabel = "N")
  Long simulatedSeed;

  /** The settings table appended to --help. */
  static String settingsHelp() {
    StringBuilder b = new StringBuilder();
    for (NodeConfig.Setting s : NodeConfig.SETTINGS) {
      b.append(String.format("  %s (default %s, %s)%n", s.name(), s.defaultValue(), s.unit()));
      StringBuilder line = new StringBuilder("      ");
      for (String word : s.description().split(" ")) {
        if (line.length() + word.length() > 76) {
          b.append(line.toString().stripTrailing()).append(System.lineSeparator());
          line = new StringBuilder("      ");
        }
        line.append(word).append(' ');
      }
      b.append(line.toString().stripTrailing()).append(System.lineSeparator());
    }
    return b.toString();
  }

  @Override
  public Integer call() throws Exception {
    SimulatedTime time = simulatedTime();
    NodeConfig c;
    try {
      c = NodeConfig.load(config);
    } catch (NodeConfig.InvalidConfigException e) {
      throw new UserError(config + ": " + e.getMessage());
    }
    Node node;
    try {
      node =
          time == null
              ? Node.create(c, Clock.systemUTC()).start()
              : Node.create(c, time.clock(), simulatedOptions()).start();
    } catch (NodeStartException e) {
      throw new UserError(e.getMessage());
    } catch (java.io.IOException e) {
      throw new UserError(
          "listen: cannot listen on "
              + c.listenHost()
              + ":"
              + c.listenPort()
              + ": "
              + e.getMessage());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    node.stop(Duration.ofSeconds(drainSeconds));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  } finally {
                    stopped.countDown();
                  }
                },
                "fedtrace-shutdown"));
    spec.commandLine()
        .getErr()
        .println(
            "fedtrace node "
                + node.identity()
                + " listening on port "
                + node.port()
                + " (Ctrl-C to stop)");
    spec.commandLine().getErr().flush();
    if (time != null) {
      serveSimulator(time, node);
    }
    node.blockUntilShutdown();
    stopped.await();
    return 0;
  }

  private SimulatedTime simulatedTime() {
    if (simulatedClock == null) {
      if (simulatedSeed != null) {
        throw new UserError("--simulated-seed needs --simulated-clock", Fedtrace.EXIT_USAGE);
      }
      return null;
    }
    try {
      SimulatedTime time = SimulatedTime.open(simulatedClock);
      time.finished(simulatedSlot); // checks the slot
      return time;
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new UserError("--simulated-clock: " + e.getMessage(), Fedtrace.EXIT_USAGE);
    }
  }

  private Node.Options simulatedOptions() {
    Random random = simulatedSeed == null ? new SecureRandom() : new Random(simulatedSeed);
    return new Node.Options(random, Set.of(), false);
  }

  /**
   * Carries out the simulator's exchange requests on a thread of their own; if the node cannot, the
   * process exits (the simulator sees it die and shows this log's tail). The process also exits
   * when the simulator's process does.
   */
  private void serveSimulator(SimulatedTime time, Node node) {
    int slot = simulatedSlot;
    PrintWriter err = spec.commandLine().getErr();
    // a simulated node outlives no simulator, even one killed without running its shutdown hooks
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
    Thread t =
        new Thread(
            () -> {
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
                    SIMULATION_POLL);
              } catch (RuntimeException e) {
                err.println("fedtrace: simulated exchange failed: " + e);
                e.printStackTrace(err);
                err.flush();
                System.exit(1);
              }
            },
            "fedtrace-simulated-time");
    t.setDaemon(true);
    t.start();
  }
}

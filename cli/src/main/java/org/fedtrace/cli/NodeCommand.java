package org.fedtrace.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.Settings;
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

  @Option(
      names = "--start-anew",
      description = {
        "Start on a store other than the one the node ran with (emptied, deleted or replaced),",
        "on purpose: the node first pulls its own batches back from every peer it pulls from",
        "and signs none of its own until each sent its backlog, so that its numbering goes on",
        "where it was (spec R21.24); uploads are accepted meanwhile."
      })
  boolean startAnew;

  /** The settings table appended to --help. */
  static String settingsHelp() {
    StringBuilder b = new StringBuilder();
    for (Settings.Setting s : Settings.ALL) {
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
    NodeConfig c;
    try {
      c = NodeConfig.load(config);
    } catch (InvalidConfigException e) {
      throw new UserError(config + ": " + e.getMessage());
    }
    if (startAnew) {
      try {
        Node.startAnew(c);
      } catch (java.io.IOException e) {
        throw new UserError("dataDir: cannot start anew in " + c.dataDir() + ": " + e.getMessage());
      }
    }
    Node node;
    try {
      node = Node.create(c, Clock.systemUTC()).start();
    } catch (NodeStartException e) {
      throw new UserError(e.getMessage());
    } catch (java.io.IOException e) {
      throw new UserError(
          "listen: cannot listen on "
              + c.listen().host()
              + ":"
              + c.listen().port()
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
    node.blockUntilShutdown();
    stopped.await();
    return 0;
  }
}

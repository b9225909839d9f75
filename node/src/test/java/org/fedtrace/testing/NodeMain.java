package org.fedtrace.testing;

import java.nio.file.Path;
import java.time.Clock;
import org.fedtrace.node.Node;
import org.fedtrace.node.config.NodeConfig;

/**
 * A node in a process of its own, for tests that kill it: {@code java -cp TEST_CLASSPATH
 * org.fedtrace.testing.NodeMain node.yaml} starts the node of the configuration, prints {@code
 * READY port} once it serves, and runs until killed.
 */
public final class NodeMain {
  private NodeMain() {}

  /** Starts the node of the configuration file {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    Node node = Node.create(NodeConfig.load(Path.of(args[0])), Clock.systemUTC()).start();
    System.out.println("READY " + node.port());
    System.out.flush();
    node.blockUntilShutdown();
  }
}

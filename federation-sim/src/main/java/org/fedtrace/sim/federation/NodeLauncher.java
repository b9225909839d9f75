package org.fedtrace.sim.federation;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How {@link ProcessFederation} starts a node process.
 *
 * @param java the {@code java} executable
 * @param classPath the class path holding fedtrace (a runnable jar or the test class path)
 * @param mainClass the class whose {@code main} runs a simulated node ({@link SimulatedNode})
 * @param jvmOptions options of each node's JVM, such as its heap size
 */
public record NodeLauncher(
    String java, String classPath, String mainClass, List<String> jvmOptions) {
  /** Copies the options. */
  public NodeLauncher {
    jvmOptions = List.copyOf(jvmOptions);
  }

  /**
   * The JVM and class path this process runs from, starting {@link SimulatedNode}, with a small
   * heap and quick start-up (a node of a simulation handles few batches; six of them share two
   * cores).
   */
  public static NodeLauncher current() {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // absolute, since a node runs in its own folder
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.isEmpty())
            .map(e -> Path.of(e).toAbsolutePath().toString())
            .collect(Collectors.joining(File.pathSeparator));
    return new NodeLauncher(
        java,
        classPath,
        SimulatedNode.class.getName(),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
  }
}

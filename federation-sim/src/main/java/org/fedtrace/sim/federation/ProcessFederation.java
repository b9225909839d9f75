package org.fedtrace.sim.federation;

import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.NodeConfigWriter;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.sim.SimClock;
import org.fedtrace.sim.federation.FederationSetup.Member;
import org.fedtrace.store.Store;
import org.fedtrace.store.sql.SqliteStore;

/**
 * The real federation of a simulation run with one operating-system process per node: each
 * country's node runs as a {@link SimulatedNode} in a JVM of its own, with the same certificates,
 * agreement, configuration and push links as {@link NodeFederation}, and the nodes exchange over
 * gRPC with mutual TLS on loopback between the processes.
 *
 * <p>Time: the nodes read the simulated time from a memory-mapped file ({@link SimulatedTime}) that
 * this class moves forward with the simulator's clock; certificates are still checked on the real
 * clock. The nodes' background batching and purging are off; after the uploads of each simulated
 * hour this class asks every node, through the same file, to purge (on the first hour of a
 * simulated day) and publish what is due, exactly as {@link NodeFederation} calls the nodes in its
 * process, and waits until each has done so. A batch therefore holds the same keys in both
 * federations, and a node's seed (passed on its command line) gives the same batch ids and padding.
 * Each request ends with the node matching what it stores (operator-assisted mode only); {@link
 * #matchStored} makes another request once every batch has arrived.
 *
 * <p>Observation: the simulator reads each node's SQLite store, opened read-only from this process
 * (WAL mode lets it read while the node writes), to wait until every node holds every batch, to
 * read the batches that arrived and the published ones; traffic comes from each node's Prometheus
 * endpoint ({@code fedtrace_batch_bytes_total}). Uploads go through each node's Upload RPC.
 *
 * <p>Robustness: the processes start in parallel on free ports picked up front (started again on
 * other ports if one was taken meanwhile); each writes its output to {@code node.log} in its
 * folder; a process that dies fails the run with the end of its log, and the run's folder is then
 * kept; every process is stopped on {@link #close} and, through a shutdown hook, when this JVM
 * exits.
 */
public final class ProcessFederation implements Federation {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int START_ATTEMPTS = 3;
  private static final int LOG_TAIL_LINES = 25;
  private static final String LISTENING = " listening on port ";
  private static final String PORT_TAKEN = "cannot listen on ";

  private final NodeLauncher launcher;
  private final Path root;
  private final List<Child> children = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::destroyChildren, "fedtrace-sim-nodes");
  private FederationSetup setup;
  private SimulatedTime time;
  private StoreWatch watch;
  private long lastHousekeepingDay = Long.MIN_VALUE;
  private boolean keepFolder;
  private boolean closed;

  /** Makes process federations whose nodes {@code launcher} starts. */
  public static FederationFactory factory(NodeLauncher launcher) {
    return (spec, clock) -> new ProcessFederation(spec, clock, launcher);
  }

  /** One node process. */
  private static final class Child {
    final Member member;
    final int slot;
    final Path log;
    Process process;
    int port;
    int metricsPort;
    ManagedChannel uploads;
    Store store;

    Child(Member member, int slot) {
      this.member = member;
      this.slot = slot;
      this.log = member.folder().resolve("node.log");
    }
  }

  /** A node could not listen on its port: another process took it after it was picked. */
  private static final class PortTaken extends Exception {
    private static final long serialVersionUID = 1L;
  }

  /**
   * Issues the PKI and agreement, starts one node process per country of {@code spec}, connected as
   * its topology says, and waits until each listens.
   *
   * @throws IllegalStateException if a node does not start, with the end of its log
   */
  public ProcessFederation(FederationSpec spec, SimClock clock, NodeLauncher launcher) {
    this.launcher = launcher;
    try {
      this.root = SimFolders.temporaryRoot("fedtrace-sim-processes-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the simulated federation", e);
    }
    try {
      setup = new FederationSetup(spec, root);
      time =
          SimulatedTime.create(
              root.resolve("simulated-time"), clock.instant(), spec.countries().size());
      for (Member m : setup.members()) {
        children.add(new Child(m, children.size()));
      }
      Runtime.getRuntime().addShutdownHook(shutdownHook);
      startAll();
      Map<String, Store> stores = new LinkedHashMap<>();
      for (Child c : children) {
        c.store = SqliteStore.openReadOnly(c.member.folder().resolve("data"));
        c.uploads = setup.uploadChannel(c.member, c.port);
        stores.put(c.member.country(), c.store);
      }
      watch = new StoreWatch(stores, false);
    } catch (IOException e) {
      keepFolder = true;
      close();
      throw new IllegalStateException(
          "cannot set up the simulated federation in " + root + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      keepFolder = true;
      close();
      throw e;
    }
  }

  /** Starts every node on fresh ports, again (up to three times) if a port was taken meanwhile. */
  private void startAll() throws IOException {
    for (int attempt = 1; ; attempt++) {
      int[] ports = freePorts(2 * children.size());
      for (Child c : children) {
        c.port = ports[2 * c.slot];
        c.metricsPort = ports[2 * c.slot + 1];
      }
      for (Child c : children) {
        launch(c);
      }
      try {
        awaitListening();
        return;
      } catch (PortTaken e) {
        stopChildren();
        if (attempt == START_ATTEMPTS) {
          keepFolder = true;
          throw new IllegalStateException(
              "the simulated nodes found their ports taken "
                  + START_ATTEMPTS
                  + " times; logs in "
                  + root);
        }
      }
    }
  }

  private void launch(Child c) throws IOException {
    List<NodeConfig.Peer> peers = new ArrayList<>();
    for (String peer : setup.neighbours(c.member.country())) {
      peers.add(setup.pushTo(peer, child(peer).port));
    }
    Path config = c.member.folder().resolve("node.yaml");
    NodeConfigWriter.write(setup.config(c.member, c.port, c.metricsPort, peers), config);
    List<String> command = new ArrayList<>();
    command.add(launcher.java());
    command.addAll(launcher.jvmOptions());
    command.add(launcher.mainClass());
    command.addAll(List.of("--config", config.toString()));
    command.addAll(List.of("--clock", time.file().toString()));
    command.addAll(List.of("--slot", Integer.toString(c.slot)));
    command.addAll(List.of("--seed", Long.toString(setup.seed(c.member.country()))));
    ProcessBuilder builder = new ProcessBuilder(command);
    // the class path goes by environment, so that the command line stays short and readable
    builder.environment().put("CLASSPATH", launcher.classPath());
    c.process =
        builder
            .directory(c.member.folder().toFile())
            .redirectErrorStream(true)
            .redirectOutput(c.log.toFile())
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
  }

  /** Waits until every node has written that it listens. */
  private void awaitListening() throws IOException, PortTaken {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    for (Child c : children) {
      while (!Files.readString(c.log, StandardCharsets.UTF_8).contains(LISTENING + c.port)) {
        if (!c.process.isAlive()) {
          if (Files.readString(c.log, StandardCharsets.UTF_8).contains(PORT_TAKEN)) {
            throw new PortTaken();
          }
          throw failure(c, "exited with status " + c.process.exitValue() + " while starting");
        }
        if (System.nanoTime() > deadline) {
          throw failure(c, "did not listen within " + START_TIMEOUT.toSeconds() + " s");
        }
        sleepMillis(10);
      }
    }
  }

  @Override
  public void upload(
      String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime, Consent consent) {
    Child c = child(country);
    time.advanceTo(simTime);
    try {
      setup.upload(
          c.uploads, c.member, keys, new FederationSetup.Uploader(uploaderId, consent), simTime);
    } catch (IllegalArgumentException e) {
      checkAlive();
      throw e;
    }
  }

  @Override
  public void exchange(Instant simTime) {
    time.advanceTo(simTime);
    long day = simTime.getEpochSecond() / 86_400;
    boolean housekeeping = day != lastHousekeepingDay;
    lastHousekeepingDay = day;
    awaitFinished(time.request(housekeeping));
    watch.awaitSynced(this::checkAlive);
  }

  /**
   * Another request after {@link #exchange} at the same simulated time: each node publishes nothing
   * more (nothing was uploaded since, and the time is the same) and matches what it stores.
   */
  @Override
  public void matchStored(Instant simTime) {
    time.advanceTo(simTime);
    awaitFinished(time.request(false));
  }

  /** Waits until every node has finished {@code request}. */
  private void awaitFinished(long request) {
    long deadline = System.nanoTime() + REQUEST_TIMEOUT.toNanos();
    long nextAliveCheck = 0;
    for (Child c : children) {
      for (long done = time.finished(c.slot); done != request; done = time.finished(c.slot)) {
        if (done == SimulatedTime.FAILED) {
          throw failure(c, "could not publish, purge or match");
        }
        long now = System.nanoTime();
        if (now >= nextAliveCheck) { // every node process, every 10 ms: not on every look
          checkAlive();
          nextAliveCheck = now + 10_000_000;
        }
        if (now > deadline) {
          throw failure(c, "did not finish a request within " + REQUEST_TIMEOUT.toSeconds() + " s");
        }
        LockSupport.parkNanos(100_000);
      }
    }
  }

  @Override
  public void deposit(List<Deposit> deposits, Instant simTime) {
    time.advanceTo(simTime);
    try {
      setup.deposit(deposits, country -> child(country).uploads);
    } catch (IllegalStateException e) {
      checkAlive();
      throw e;
    }
  }

  @Override
  public List<List<Exposure>> exposures(List<Device> devices, Instant simTime) {
    time.advanceTo(simTime);
    try {
      return setup.exposures(devices, country -> child(country).uploads);
    } catch (IllegalStateException e) {
      checkAlive();
      throw e;
    }
  }

  @Override
  public Received receivedSince(String country, long marker) {
    child(country);
    return watch.receivedSince(country, marker);
  }

  /** The node's {@code fedtrace_batch_bytes_total}, both directions, from its metrics endpoint. */
  @Override
  public long trafficBytes(String country) {
    Child c = child(country);
    try {
      return MetricsEndpoint.batchBytes(c.metricsPort);
    } catch (IOException e) {
      checkAlive();
      throw new UncheckedIOException("cannot read the metrics of node " + country, e);
    }
  }

  @Override
  public List<DiagnosisKeyBatch> published() {
    return watch.published();
  }

  /** Stops the node processes; deletes the run's folder unless the run failed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is exiting (the hook runs) or the hook was never added
    }
    for (Child c : children) {
      if (c.uploads != null) {
        c.uploads.shutdownNow();
      }
      if (c.store != null) {
        c.store.close();
      }
    }
    stopChildren();
    if (time != null) {
      try {
        time.close();
      } catch (IOException e) {
        // nothing left to release that matters
      }
    }
    if (!keepFolder) {
      SimFolders.deleteQuietly(root);
    }
  }

  /** Asks every node process to stop, waits a while, then kills those left. */
  private void stopChildren() {
    for (Child c : children) {
      if (c.process != null) {
        c.process.destroy();
      }
    }
    long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
    for (Child c : children) {
      if (c.process == null) {
        continue;
      }
      try {
        long left = Math.max(0, deadline - System.nanoTime());
        if (!c.process.waitFor(left, TimeUnit.NANOSECONDS)) {
          c.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } catch (InterruptedException e) {
        c.process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The shutdown hook: the JVM exits without {@link #close} (a failed run, Ctrl-C). */
  private void destroyChildren() {
    stopChildren();
  }

  /**
   * Fails the run if a node process has died.
   *
   * @throws IllegalStateException naming the node, with the end of its log
   */
  private void checkAlive() {
    for (Child c : children) {
      if (!c.process.isAlive()) {
        throw failure(c, "exited with status " + c.process.exitValue());
      }
    }
  }

  private IllegalStateException failure(Child c, String what) {
    keepFolder = true;
    return new IllegalStateException(
        "node "
            + c.member.identity()
            + " (process "
            + c.process.pid()
            + ") "
            + what
            + "; the end of its log "
            + c.log
            + ":\n"
            + tail(c.log)
            + "\n(the run's folder "
            + root
            + " is kept)");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join(
          "\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(cannot read it: " + e.getMessage() + ")";
    }
  }

  private Child child(String country) {
    setup.member(country);
    for (Child c : children) {
      if (c.member.country().equals(country)) {
        return c;
      }
    }
    throw new IllegalArgumentException("no node for country " + country);
  }

  /** {@code n} distinct ports free on the loopback address now. */
  private static int[] freePorts(int n) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static void sleepMillis(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the simulated nodes started", e);
    }
  }
}

package org.fedtrace.sim.federation;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeOptions;
import org.fedtrace.node.NodeSeam;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.sim.SimClock;
import org.fedtrace.sim.federation.FederationSetup.Member;
import org.fedtrace.store.Store;

/**
 * The real federation of a simulation run: one fedtrace node per country, in this process, each
 * with its own certificates from a federation authority created for the run, its own SQLite store
 * and its own mutual-TLS listener on a loopback port. Nodes push to each other as the topology
 * says; uploads go through each node's Upload RPC with an authorization from the country's health
 * authority; keys cross borders only through the protocol. The nodes run on the simulated clock,
 * with their background work off: the simulator drives their batching, retention purge and, in
 * operator-assisted matching, their matching on it. The operator backend's deposits and queries go
 * through each node's OperatorMatching service over the same channel as uploads (the country's
 * operator certificate). In device mode each node's key exports are written on simulated time too
 * ({@link ExportFeeds}).
 */
public final class NodeFederation implements Federation {
  private final SimClock clock;
  private final Path root;
  private final Map<String, Running> nodes = new LinkedHashMap<>();
  private FederationSetup setup;
  private StoreWatch watch;
  private ExportFeeds exports;
  private long lastHousekeepingDay = Long.MIN_VALUE;

  /** One country's node and the simulator's channel to it, as the country's operator. */
  private record Running(Member member, Node node, ManagedChannel uploads) {}

  /** Issues the PKI and agreement, starts one node per country and connects the topology. */
  public NodeFederation(FederationSpec spec, SimClock clock) {
    this.clock = clock;
    try {
      this.root = SimFolders.temporaryRoot("fedtrace-sim-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot set up the simulated federation", e);
    }
    try {
      setup = new FederationSetup(spec, root);
      Map<String, Store> stores = new LinkedHashMap<>();
      for (Running r : startAll(setup.members())) {
        nodes.put(r.member().country(), r);
        stores.put(r.member().country(), r.node().store());
      }
      watch = new StoreWatch(stores, true);
      if (!spec.operatorMatching()) {
        exports = new ExportFeeds(stores, root, spec.seed());
      }
      connect();
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot set up the simulated federation", e);
    } catch (NodeStartException e) {
      close();
      throw new IllegalStateException("a simulated node did not start: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Starts the members' nodes, on every processor at once (each node's start verifies its
   * certificates and agreement and opens its store and TLS context: with a hundred nodes, most of
   * the set-up), and returns them in the members' order. If one fails, those started are stopped.
   */
  private List<Running> startAll(List<Member> members) throws IOException, NodeStartException {
    int threads = Math.max(1, Math.min(members.size(), Runtime.getRuntime().availableProcessors()));
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<Running>> started = new ArrayList<>();
    try {
      for (Member m : members) {
        started.add(pool.submit(() -> start(m)));
      }
      List<Running> out = new ArrayList<>();
      Exception failure = null;
      for (Future<Running> f : started) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          failure = failure == null && e.getCause() instanceof Exception c ? c : failure;
        }
      }
      if (failure == null) {
        return out;
      }
      out.forEach(r -> nodes.put(r.member().country(), r)); // so that close() stops them
      if (failure instanceof NodeStartException n) {
        throw n;
      }
      if (failure instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("a simulated node did not start", failure);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the simulated nodes", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private Running start(Member m) throws IOException, NodeStartException {
    NodeConfig c = setup.config(m, 7443, 0, List.of()); // listens where the builder says
    Random seeded = new Random(setup.seed(m.country()));
    Node node = Node.create(c, clock, new NodeOptions(seeded, NodeSeam.NONE, false));
    node.start(
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(node.serverTls()));
    return new Running(m, node, setup.uploadChannel(m, node.port()));
  }

  /** Makes each node push to its neighbours in the topology, now that every node listens. */
  private void connect() throws IOException {
    for (Running r : nodes.values()) {
      for (String peer : setup.neighbours(r.member().country())) {
        r.node().follow(setup.pushTo(peer, nodes.get(peer).node().port()));
      }
    }
  }

  @Override
  public void upload(
      String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime, Consent consent) {
    setup.upload(
        running(country).uploads(),
        setup.member(country),
        keys,
        new FederationSetup.Uploader(uploaderId, consent),
        simTime);
  }

  @Override
  public void exchange(Instant simTime) {
    long day = simTime.getEpochSecond() / 86_400;
    if (day != lastHousekeepingDay) {
      lastHousekeepingDay = day;
      nodes.values().forEach(r -> r.node().housekeeping());
    }
    for (Running r : nodes.values()) {
      r.node().publishDue(false);
    }
    watch.awaitSynced(() -> {});
  }

  /**
   * Device mode: runs each node's exporter on its store at {@code simTime} ({@link ExportFeeds}).
   */
  @Override
  public Map<String, Path> export(Instant simTime) {
    return exports == null ? Map.of() : exports.run(simTime);
  }

  @Override
  public void deposit(List<Deposit> deposits, Instant simTime) {
    setup.deposit(deposits, country -> running(country).uploads());
  }

  @Override
  public List<List<Exposure>> exposures(List<Device> devices, Instant simTime) {
    return setup.exposures(devices, country -> running(country).uploads());
  }

  @Override
  public void matchStored(Instant simTime) {
    nodes.values().forEach(r -> r.node().matchStored());
  }

  @Override
  public Received receivedSince(String country, long marker) {
    running(country);
    return watch.receivedSince(country, marker);
  }

  @Override
  public long trafficBytes(String country) {
    return running(country).node().metrics().batchBytesTotal();
  }

  /**
   * The decoy uploads {@code country}'s node added to its batches so far (its {@code
   * fedtrace_decoy_uploads_total}), for tests that check the report's figure against the nodes.
   */
  public long decoyUploads(String country) {
    return running(country).node().metrics().decoyUploadsTotal();
  }

  @Override
  public List<DiagnosisKeyBatch> published() {
    return watch.published();
  }

  @Override
  public void close() {
    for (Running r : nodes.values()) {
      r.node().unfollowAll();
    }
    for (Running r : nodes.values()) {
      r.uploads().shutdownNow();
      try {
        r.node().stop(Duration.ofSeconds(2));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (exports != null) {
      exports.close();
    }
    SimFolders.deleteQuietly(root);
  }

  /** The store of {@code country}'s node, for tests that check what a node holds. */
  Store store(String country) {
    return running(country).node().store();
  }

  private Running running(String country) {
    Running r = nodes.get(country);
    if (r == null) {
      throw new IllegalArgumentException("no node for country " + country);
    }
    return r;
  }
}

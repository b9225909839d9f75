package org.fedtrace.node;

import static org.fedtrace.node.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.node.config.PeerAddress;
import org.fedtrace.node.rpc.Cursor;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.rules.Rule;
import org.fedtrace.store.PeerCursor;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.transport.PeerChannels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that runs its node as two replicas behind one identity, listed as one peer with two
 * addresses (issue 12, item 3). The replicas are two nodes of the same member started from the same
 * configuration and data folder: one SQLite store, as two processes on one host would share it, so
 * a cursor either replica issued is valid at the other (R10.1 ties cursors to a store's epoch).
 * Batching runs only when a test calls it, on one replica at a time.
 */
class FailoverTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final OperatorIdentity DE = OperatorIdentity.parse("DE/op-de");

  @TempDir Path dir;

  private final Clock clock = Clock.systemUTC();
  private final TestBatches batches = new TestBatches(41, clock.instant());
  private final List<ManagedChannel> channels = new ArrayList<>();
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    if (f != null) {
      f.close();
    }
  }

  private TestFederation federation(String... countries) {
    return TestFederation.create(dir, clock, countries)
        .withPostgres() // replicas of one member share one store, as in production
        .withoutBackgroundWork()
        .withConfig(
            "sync:\n  heartbeatSeconds: 1\n  deadlineMillis: 1000\n"
                + "  retryInitialMillis: 50\n  retryMaxMillis: 500\n");
  }

  /** DE as one peer listed at the addresses of {@code replicas}. */
  private static NodeConfig.Peer replicasOf(Node... replicas) {
    List<PeerAddress> addresses = new ArrayList<>();
    for (Node r : replicas) {
      addresses.add(new PeerAddress("127.0.0.1", r.port()));
    }
    return new NodeConfig.Peer(DE, addresses, NodeConfig.SyncMode.SUBSCRIBE);
  }

  private void publishAt(Node replica) throws Exception {
    f.upload(replica, batches.keys(3, 3));
    assertEquals(1, replica.publishDue(true));
  }

  private static int held(Node follower) {
    return follower.store().read(tx -> tx.batches().ofOrigin("DE")).size();
  }

  private static List<Long> sequences(Node follower) {
    return follower.store().read(tx -> tx.batches().ofOrigin("DE")).stream()
        .map(b -> TestBatches.parse(b.payload()).getSequence())
        .toList();
  }

  /** The position in DE's store that {@code follower}'s cursor of DE points after. */
  private static long cursor(Node follower, Node replica) {
    byte[] c =
        follower
            .store()
            .read(tx -> tx.cursors().get(DE, PeerCursor.Direction.PULL))
            .orElseThrow(() -> new AssertionError("no cursor of DE"));
    return Cursor.decode(
        ByteString.copyFrom(c), replica.store().epoch(), Rule.SUBSCRIBE_CURSOR_MALFORMED);
  }

  /** How many BATCH_SENT entries to FR the replicas' one log holds. */
  private static long sentToFr(Node replica) {
    return replica.transparencyLog().entries(0, TransparencyLog.MAX_ENTRIES).stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_BATCH_SENT)
        .filter(e -> e.getPeer().equals("FR/op-fr"))
        .count();
  }

  private ManagedChannel channelTo(List<Node> nodes, Map<String, ?> serviceConfig)
      throws Exception {
    List<InetSocketAddress> addresses =
        nodes.stream().map(n -> InetSocketAddress.createUnresolved("127.0.0.1", n.port())).toList();
    var builder =
        PeerChannels.builder(
            DE,
            addresses,
            MutualTls.client(f.credentials("FR").tls(), f.pki().validator(), clock, DE),
            FederationGrpc.SERVICE_NAME);
    if (serviceConfig != null) {
      builder.defaultServiceConfig(serviceConfig);
    }
    ManagedChannel ch = builder.build();
    channels.add(ch);
    return ch;
  }

  private static GetNodeInfoResponse nodeInfo(ManagedChannel ch) {
    return FederationGrpc.newBlockingStub(ch)
        .withWaitForReady()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
  }

  private static List<Long> sequencesFrom(Node node, String origin) {
    return node.store().read(tx -> tx.batches().ofOrigin(origin)).stream()
        .map(b -> TestBatches.parse(b.payload()).getSequence())
        .toList();
  }

  @Test
  void aPushingPeerGoesOnPushingThroughTheOtherReplica() throws Exception {
    f = federation("DE", "FR");
    Node de1 = f.startNode("DE");
    Node de2 = f.startReplica("DE", 0);
    Node fr = f.startNode("FR");
    fr.follow(
        new NodeConfig.Peer(
            DE,
            List.of(
                new PeerAddress("127.0.0.1", de1.port()), new PeerAddress("127.0.0.1", de2.port())),
            NodeConfig.SyncMode.PUSH));
    for (int i = 0; i < 3; i++) {
      f.upload(fr, batches.keys(3, 3));
      assertEquals(1, fr.publishDue(true));
    }
    f.await(WAIT, () -> sequencesFrom(de2, "FR").size() == 3, "DE holds FR's first 3 batches");

    de1.stop(Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      f.upload(fr, batches.keys(3, 3));
      assertEquals(1, fr.publishDue(true));
    }
    f.await(
        WAIT, () -> sequencesFrom(de2, "FR").size() == 6, "the last 3 through the other replica");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), sequencesFrom(de2, "FR"), "none missing");
    assertEquals(6, (long) de2.store().read(tx -> tx.batches().recordCount()), "none twice");
  }

  @Test
  void theSubscriberMovesToTheOtherReplicaAndResumesFromItsCursor() throws Exception {
    f = federation("DE", "FR");
    Node de1 = f.startNode("DE");
    Node de2 = f.startReplica("DE", 0);
    Node fr = f.startNode("FR");
    assertEquals(de1.store().epoch(), de2.store().epoch(), "the replicas serve one store");
    fr.follow(replicasOf(de1, de2));
    for (int i = 0; i < 3; i++) {
      publishAt(de1);
    }
    f.await(WAIT, () -> held(fr) == 3, "FR holds DE's first 3 batches");
    f.await(
        WAIT,
        () -> de1.metrics().subscriptions() + de2.metrics().subscriptions() == 1,
        "FR subscribes at one replica");
    final long before = cursor(fr, de1);
    Node serving = de1.metrics().subscriptions() == 1 ? de1 : de2;
    Node other = serving == de1 ? de2 : de1;

    serving.stop(Duration.ofSeconds(5));
    for (int i = 0; i < 3; i++) {
      publishAt(other);
    }

    f.await(WAIT, () -> held(fr) == 6, "FR holds all 6 batches, the last 3 from the other");
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), sequences(fr), "nothing missing, in order");
    assertEquals(6, (long) fr.store().read(tx -> tx.batches().recordCount()), "nothing twice");
    f.await(WAIT, () -> cursor(fr, other) > before, "the cursor moves on");
    assertEquals(1.0, other.metrics().subscriptions(), "the subscription moved");
    assertEquals(6, sentToFr(other), "each batch was sent once, by one replica or the other");
    f.stopNode("FR");
    assertEquals(0.0, fr.metrics().batchCount("DE/op-de", "in", "duplicate", ""));
    assertEquals(6.0, fr.metrics().batchCount("DE/op-de", "in", "accepted", ""));
  }

  @Test
  void aPeerWhoseEveryReplicaIsDownIsRetriedUntilOneComesBack() throws Exception {
    f = federation("DE", "FR");
    Node de1 = f.startNode("DE");
    Node de2 = f.startReplica("DE", 0);
    Node fr = f.startNode("FR");
    fr.follow(replicasOf(de1, de2));
    publishAt(de1);
    f.await(WAIT, () -> held(fr) == 1, "FR holds DE's first batch");
    final long before = cursor(fr, de1);
    int port = de2.port();

    de1.stop(Duration.ofSeconds(5));
    de2.stop(Duration.ofSeconds(5));
    // several attempts fail while both are down: each waits its 1 s deadline, then backs off
    Thread.sleep(2_500);
    Node back = f.startReplica("DE", port); // one replica returns, at its old address
    publishAt(back);
    publishAt(back);

    f.await(WAIT, () -> held(fr) == 3, "FR holds all 3 batches once a replica is back");
    assertEquals(List.of(1L, 2L, 3L), sequences(fr));
    assertTrue(cursor(fr, back) > before, "the cursor moves on");
    assertEquals(3, sentToFr(back), "each batch was sent once");
  }

  @Test
  void aDrainingReplicaIsLeftOutByItsHealthStatus() throws Exception {
    f = federation("DE", "FR");
    Node de1 = f.startNode("DE");
    Node de2 = f.startReplica("DE", 0);
    final Node fr = f.startNode("FR");
    ManagedChannel toDe1 = f.channel(de1, f.credentials("FR").tls());
    HealthCheckRequest federation =
        HealthCheckRequest.newBuilder().setService(FederationGrpc.SERVICE_NAME).build();
    assertEquals(
        ServingStatus.SERVING, HealthGrpc.newBlockingStub(toDe1).check(federation).getStatus());

    de1.drain(); // listening, refusing every call, NOT_SERVING

    assertEquals(
        ServingStatus.NOT_SERVING,
        HealthGrpc.newBlockingStub(toDe1).check(federation).getStatus(),
        "the draining replica says so");
    refused(
        Status.Code.UNAVAILABLE,
        () ->
            FederationGrpc.newBlockingStub(toDe1)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    ManagedChannel both = channelTo(List.of(de1, de2), null);
    for (int i = 0; i < 20; i++) {
      assertEquals("DE", nodeInfo(both).getNode().getCountry(), "call " + i);
    }
    // the control: the same channel without health checks sends calls to the draining replica
    ManagedChannel unchecked =
        channelTo(
            List.of(de1, de2),
            Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of()))));
    int refusedCalls = 0;
    for (int i = 0; i < 20; i++) {
      try {
        nodeInfo(unchecked);
      } catch (StatusRuntimeException e) {
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.getStatus().toString());
        refusedCalls++;
      }
    }
    assertTrue(refusedCalls > 0, "without health checks some calls reach the draining replica");

    fr.follow(replicasOf(de1, de2));
    publishAt(de2);
    f.await(WAIT, () -> held(fr) == 1, "FR syncs from the serving replica");
    assertEquals(1.0, de2.metrics().subscriptions());
  }

  @Test
  void everyReplicaMustPresentThePeersIdentityWhicheverAddressAnswers() throws Exception {
    f = federation("DE", "FR", "BE");
    Node de = f.startNode("DE");
    Node be = f.startNode("BE"); // a member, but not the peer the channel means to call
    ManagedChannel both = channelTo(List.of(be, de), null);
    for (int i = 0; i < 10; i++) {
      assertEquals("DE", nodeInfo(both).getNode().getCountry(), "call " + i + " reached DE");
    }
    ManagedChannel onlyBe = channelTo(List.of(be), null);
    StatusRuntimeException e =
        refused(
            Status.Code.UNAVAILABLE,
            () ->
                FederationGrpc.newBlockingStub(onlyBe)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    assertTrue(
        e.getStatus().toString().contains("the server is BE/op-be, not the expected peer DE/op-de"),
        e.getStatus().toString());
  }
}

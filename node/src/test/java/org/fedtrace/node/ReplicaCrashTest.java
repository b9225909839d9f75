package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.pki.Credential;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.proto.v1.UploadGrpc;
import org.fedtrace.store.StoredBatch;
import org.fedtrace.store.sql.PostgresStore;
import org.fedtrace.testing.NodeMain;
import org.fedtrace.testing.Signatures;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.testing.TestPostgres;
import org.fedtrace.transport.MutualTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three replicas of DE, each a process of its own, on one PostgreSQL store, while FR pushes
 * batches, DE's backend uploads keys and IT pulls: at random moments one replica is killed with
 * SIGKILL and started again. Afterwards every batch a replica acknowledged is stored once, DE's own
 * sequence numbers have no gap, IT received every acknowledged batch exactly once, and the
 * transparency log, audited before every kill and at the end, stays consistent. The rounds are
 * {@code -Dfedtrace.crash.rounds} (3 by default).
 */
class ReplicaCrashTest {
  private static final int REPLICAS = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  @TempDir Path dir;

  private final Random random = new Random(2026);
  private final Process[] processes = new Process[REPLICAS];
  private final int[] ports = new int[REPLICAS];
  private final List<ManagedChannel> channels = new ArrayList<>();
  private TestFederation f;

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      if (p != null) {
        p.destroyForcibly().waitFor();
      }
    }
    channels.forEach(ManagedChannel::shutdownNow);
    if (f != null) {
      f.close();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts replica {@code i} from its configuration and waits until it serves. */
  private void start(int i) throws Exception {
    Path config = f.dir("DE").resolve("replica-" + i + ".yaml");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                config.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .start();
    processes[i] = p;
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("READY ")) {
        Thread drain = new Thread(() -> out.lines().forEach(l -> {}), "replica-" + i + "-out");
        drain.setDaemon(true);
        drain.start();
        return;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new IllegalStateException("replica " + i + " did not start (exit " + p.waitFor() + ")");
  }

  private ManagedChannel channel(int replica, Credential client) throws IOException {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", ports[replica])
            .sslContext(
                MutualTls.client(
                    client, f.pki().validator(), Clock.systemUTC(), f.credentials("DE").identity()))
            .build();
    channels.add(ch);
    return ch;
  }

  @Test
  void killingReplicasAtRandomLosesNothingAcknowledged() throws Exception {
    int rounds = Integer.getInteger("fedtrace.crash.rounds", 3);
    Clock clock = Clock.systemUTC();
    f = TestFederation.create(dir, clock, "DE", "FR", "IT").withPostgres();
    String yaml = Files.readString(f.configure("DE"));
    for (int i = 0; i < REPLICAS; i++) {
      ports[i] = freePort();
      Files.writeString(
          f.dir("DE").resolve("replica-" + i + ".yaml"),
          yaml.replace("listen: 127.0.0.1:7443", "listen: 127.0.0.1:" + ports[i]));
      start(i);
    }
    // one channel per replica and client, reused; a killed replica's channel reconnects
    List<FederationGrpc.FederationBlockingStub> asFr = new ArrayList<>();
    List<FederationGrpc.FederationBlockingStub> asIt = new ArrayList<>();
    List<UploadGrpc.UploadBlockingStub> asBackend = new ArrayList<>();
    List<ManagedChannel> itChannels = new ArrayList<>();
    for (int i = 0; i < REPLICAS; i++) {
      asFr.add(FederationGrpc.newBlockingStub(channel(i, f.credentials("FR").tls())));
      ManagedChannel it = channel(i, f.credentials("IT").tls());
      itChannels.add(it);
      asIt.add(FederationGrpc.newBlockingStub(it));
      asBackend.add(UploadGrpc.newBlockingStub(channel(i, f.credentials("DE").tls())));
    }

    AtomicBoolean running = new AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicLong lastAck = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<java.util.concurrent.CountDownLatch> nextAck =
        new java.util.concurrent.atomic.AtomicReference<>(
            new java.util.concurrent.CountDownLatch(0));
    List<Long> failoverMillis = new ArrayList<>();
    Set<ByteString> acknowledged = ConcurrentHashMap.newKeySet();
    List<ByteString> pulled = Collections.synchronizedList(new ArrayList<>());
    TestBatches batches = new TestBatches(77, clock.instant());
    Thread pusher =
        new Thread(
            () -> {
              Random r = new Random(1);
              for (long seq = 1; running.get(); seq++) {
                DiagnosisKeyBatch b =
                    Signatures.sign(
                        batches.batch("FR", seq, batches.keys(20, 10)),
                        f.credentials("FR").signing());
                PublishBatchRequest req = PublishBatchRequest.newBuilder().setBatch(b).build();
                while (running.get()) { // until one replica acknowledges it
                  try {
                    asFr.get(r.nextInt(REPLICAS))
                        .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                        .publishBatch(req);
                    acknowledged.add(b.getBatchId());
                    lastAck.set(System.nanoTime());
                    nextAck.get().countDown();
                    break;
                  } catch (RuntimeException e) {
                    sleep(50);
                  }
                }
              }
            },
            "pusher");
    Thread uploader =
        new Thread(
            () -> {
              Random r = new Random(2);
              while (running.get()) {
                try {
                  asBackend
                      .get(r.nextInt(REPLICAS))
                      .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                      .uploadDiagnosisKeys(f.authorizedUpload("DE", batches.keys(3, 5)));
                } catch (RuntimeException e) {
                  // not acknowledged: nothing to find later
                }
                sleep(200);
              }
            },
            "uploader");
    ByteString[] cursor = {ByteString.EMPTY};
    AtomicBoolean caughtUp = new AtomicBoolean();
    AtomicBoolean pushed = new AtomicBoolean(); // the pusher ended: every acknowledgement is in
    Thread puller =
        new Thread(
            () -> {
              Random r = new Random(3);
              while (!caughtUp.get()) {
                try {
                  boolean allPushed = pushed.get(); // before the page: it then holds them all
                  PullBatchesResponse page =
                      asIt.get(r.nextInt(REPLICAS))
                          .withDeadlineAfter(DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
                          .pullBatches(
                              PullBatchesRequest.newBuilder()
                                  .setCursor(cursor[0])
                                  .setMaxBatches(100)
                                  .build());
                  for (DiagnosisKeyBatch b : page.getBatchesList()) {
                    if (b.getOrigin().equals("FR")) {
                      pulled.add(b.getBatchId());
                    }
                  }
                  cursor[0] = page.getNextCursor(); // resumed at any replica: one store, one epoch
                  caughtUp.set(page.getCaughtUp() && allPushed);
                  if (page.getCaughtUp()) {
                    sleep(100);
                  }
                } catch (RuntimeException e) {
                  sleep(50);
                }
              }
            },
            "puller");
    pusher.start();
    uploader.start();
    puller.start();

    Auditor auditor = new Auditor(f.pki().validator(), clock, new Random(4));
    AuditState audited = AuditState.empty();
    try (PostgresStore view = PostgresStore.open(TestPostgres.options(f.database("DE")))) {
      for (int round = 0; round < rounds; round++) {
        sleep(1000 + random.nextInt(2000));
        audited = audit(auditor, audited, itChannels, "before kill " + round);
        int victim = random.nextInt(REPLICAS);
        long killed = System.nanoTime();
        processes[victim].destroyForcibly().waitFor(); // SIGKILL: no drain, no lease released
        java.util.concurrent.CountDownLatch acked = new java.util.concurrent.CountDownLatch(1);
        nextAck.set(acked);
        assertTrue(acked.await(60, TimeUnit.SECONDS), "a publish succeeds after the kill");
        failoverMillis.add((lastAck.get() - killed) / 1_000_000);
        sleep(300 + random.nextInt(1000));
        start(victim);
      }
      // the load runs on until a publish is acknowledged with every replica back
      java.util.concurrent.CountDownLatch afterRestart = new java.util.concurrent.CountDownLatch(1);
      nextAck.set(afterRestart);
      assertTrue(afterRestart.await(60, TimeUnit.SECONDS), "a publish succeeds after the restart");
      running.set(false);
      pusher.join();
      uploader.join();
      pushed.set(true);
      puller.join(TimeUnit.SECONDS.toMillis(60)); // it ends once caught up with every push
      assertTrue(caughtUp.get(), "IT caught up after the last round");

      List<StoredBatch> fr = view.read(tx -> tx.batches().ofOrigin("FR"));
      Set<ByteString> stored = new HashSet<>();
      for (StoredBatch b : fr) {
        assertTrue(
            stored.add(TestBatches.parse(b.payload()).getBatchId()), "FR batch stored twice");
      }
      assertTrue(acknowledged.size() > 10, "the pusher got through: " + acknowledged.size());
      assertTrue(stored.containsAll(acknowledged), "every acknowledged batch is stored");
      assertEquals(pulled.size(), new HashSet<>(pulled).size(), "IT received no FR batch twice");
      Set<ByteString> missing = new HashSet<>(acknowledged);
      missing.removeAll(pulled);
      assertEquals(Set.of(), missing, "IT received every acknowledged batch");

      List<StoredBatch> own = view.read(tx -> tx.batches().ofOrigin("DE"));
      assertTrue(own.size() > 0, "DE published batches of the uploads");
      for (int i = 0; i < own.size(); i++) {
        assertEquals(
            i + 1L, TestBatches.parse(own.get(i).payload()).getSequence(), "DE's sequences");
      }
      audit(auditor, audited, itChannels, "after the last round");
      Collections.sort(failoverMillis);
      System.out.printf(
          "replica crash: %d rounds (SIGKILL), %d FR batches acknowledged, %d lost;"
              + " %d pulled by IT, 0 twice; %d DE batches, sequences 1..%d;"
              + " kill to the next acknowledged publish: min %d ms, median %d ms, max %d ms%n",
          rounds,
          acknowledged.size(),
          acknowledged.size() - (long) acknowledged.stream().filter(stored::contains).count(),
          pulled.size(),
          own.size(),
          own.size(),
          failoverMillis.get(0),
          failoverMillis.get(failoverMillis.size() / 2),
          failoverMillis.get(failoverMillis.size() - 1));
    }
  }

  /** Audits DE's log through a live replica; fails the test unless the audit passes. */
  private AuditState audit(
      Auditor auditor, AuditState state, List<ManagedChannel> channels, String when) {
    for (int attempt = 0; attempt < 20; attempt++) {
      try {
        AuditReport report =
            auditor.audit(
                f.credentials("DE").identity(),
                new GrpcLogClient(channels.get(attempt % REPLICAS), Duration.ofSeconds(5)),
                state,
                200,
                peer -> Optional.empty());
        if (!report.passed() && report.findings().toString().contains("UNAVAILABLE")) {
          sleep(100); // that replica is down, or was when its channel last tried: ask another
          continue;
        }
        assertTrue(report.passed(), when + ": " + report.findings());
        return report.state();
      } catch (io.grpc.StatusRuntimeException unavailable) {
        sleep(100); // that replica is down: ask another
      }
    }
    throw new AssertionError(when + ": no replica answered the audit");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

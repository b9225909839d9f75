package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.node.rpc.RateLimits;
import org.fedtrace.node.rpc.RpcServices;
import org.fedtrace.node.rpc.TransparencyLogService;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.store.sql.SqliteStore;
import org.fedtrace.testing.TestLogs;
import org.fedtrace.testing.TestLogs.Event;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.LogDatabase;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.fedtrace.transport.PeerIdentityInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code fedtrace audit} against real TransparencyLog services over mutual TLS on loopback, with a
 * PKI made by {@code fedtrace pki}: an honest pair of logs, then a rolled-back one.
 */
class AuditCommandTest {
  @TempDir Path tmp;

  private final List<Server> servers = new ArrayList<>();
  private final List<SqliteStore> stores = new ArrayList<>();
  private Path ca;
  private CertificateValidator validator;
  private Agreement agreement;

  @BeforeEach
  void pki() throws Exception {
    ca = tmp.resolve("ca");
    String sunset = LocalDate.now(ZoneOffset.UTC).plusYears(1).toString();
    assertEquals(
        0,
        run("pki", "init", "--out", ca.toString(), "--federation", "t", "--sunset", sunset).status);
    for (String[] m : new String[][] {{"DE", "op-de"}, {"FR", "op-fr"}}) {
      Run r =
          run(
              "pki",
              "issue",
              "--ca",
              ca.toString(),
              "--country",
              m[0],
              "--operator",
              m[1],
              "--out",
              tmp.resolve(m[1]).toString());
      assertEquals(0, r.status, r.err);
    }
    validator = CertificateValidator.trusting(Pem.readCertificate(ca.resolve("ca.crt")));
    agreement = Agreement.load(ca, validator.authority());
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    stores.forEach(SqliteStore::close);
  }

  /** A node's log served over mutual TLS on a loopback port, as the node will serve it. */
  private record Served(TransparencyLog log, LogDatabase db, int port) {
    /** Appends an event to the served log, as its node would. */
    void record(Event event, byte[] subject, String origin, String peer, long keys) {
      db.write(s -> log.append(s, TestLogs.event(event, subject, origin, peer, keys, "")));
    }
  }

  private Served serve(String operator, String dbName) throws Exception {
    OperatorCredentials c =
        OperatorCredentials.load(tmp.resolve(operator), validator, Clock.systemUTC().instant());
    SqliteStore store = SqliteStore.open(tmp.resolve(dbName));
    stores.add(store);
    LogDatabase db = store.logDatabase();
    TransparencyLog log =
        TransparencyLog.open(
            db,
            c.identity(),
            SigningKey.fromPrivateKey(c.signing().privateKey()),
            c.signing().certificate().getEncoded(),
            Clock.systemUTC());
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(MutualTls.server(c.tls(), validator, Clock.systemUTC()))
            .addService(
                new RpcServices(
                        new NodeMetrics(),
                        new Lifecycle(agreement.sunsetDate(), Clock.systemUTC(), false),
                        new RateLimits(1_000, 1e9, Clock.systemUTC()),
                        new PeerIdentityInterceptor(
                            validator, Clock.systemUTC(), agreement::isMember))
                    .log(new TransparencyLogService(log, 1)))
            .build()
            .start();
    servers.add(server);
    return new Served(log, db, server.getPort());
  }

  /** FR, a witness of DE, cosigns DE's candidate checkpoint, as its node would. */
  private void cosignAsFr(TransparencyLog log) throws Exception {
    OperatorCredentials fr =
        OperatorCredentials.load(tmp.resolve("op-fr"), validator, Clock.systemUTC().instant());
    Checkpoint c = log.cosigned().current(1).get(0).getCheckpoint();
    log.cosigned()
        .add(
            c,
            Cosignatures.sign(
                c,
                fr.identity(),
                Clock.systemUTC().instant().getEpochSecond(),
                SigningKey.fromPrivateKey(fr.signing().privateKey()),
                fr.signing().certificate().getEncoded()));
  }

  private static byte[] batch(String name) {
    return Sha256.hash(name.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void auditsAnHonestLogThenCatchesItsRollback() throws Exception {
    Served de = serve("op-de", "de");
    Served fr = serve("op-fr", "fr");
    de.record(Event.BATCH_CREATED, batch("b1"), "DE", "", 100);
    de.record(Event.BATCH_SENT, batch("b1"), "DE", "FR/op-fr", 100);
    fr.record(Event.BATCH_RECEIVED, batch("b1"), "DE", "DE/op-de", 100);
    de.record(Event.BATCH_CREATED, batch("b2"), "DE", "", 100);
    Path state = tmp.resolve("audit-state.json");
    String peers = "FR=127.0.0.1:" + fr.port();

    Run unwitnessed =
        audit("DE=127.0.0.1:" + de.port(), tmp.resolve("other.json"), "--witness-wait", "0");
    assertEquals(1, unwitnessed.status, unwitnessed.out);
    assertTrue(
        unwitnessed.out.contains(
            "FAIL  fedtrace.v1/DE/op-de: witness quorum not met: at most 0 of 1 witnesses []"
                + " cosigned one checkpoint, 1 required;"),
        unwitnessed.out);
    cosignAsFr(de.log());

    Run first = audit("DE=127.0.0.1:" + de.port(), state, "--peers", peers);
    assertEquals(0, first.status, first.out + first.err);
    assertEquals("", first.err);
    List<String> lines = first.out.lines().toList();
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "ok    the checkpoint of fedtrace.v1/DE/op-de (3 entries): signature of DE/op-de"
                    + " verifies; root "),
        lines.get(0));
    assertTrue(
        lines.contains(
            "ok    fedtrace.v1/FR/op-fr: its signed tree rebuilt from the 1 entry it served"),
        first.out);
    assertTrue(lines.stream().anyMatch(l -> l.contains("FR/op-fr recorded it as its entry 0")));
    assertEquals(
        "audit of DE/op-de at 127.0.0.1:"
            + de.port()
            + ": 8 verified, 0 failed, 2 skipped; state kept in "
            + state,
        lines.get(lines.size() - 1));
    String saved = Files.readString(state);
    assertTrue(saved.contains("\"target\" : \"DE/op-de\""), saved);
    assertTrue(saved.contains("\"fedtrace.v1/FR/op-fr\""), saved);
    assertTrue(saved.contains("\\n\\n\u2014 fedtrace.v1/DE/op-de "), saved);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.startsWith(
                        "ok    fedtrace.v1/DE/op-de: 1 of 1 witnesses [FR/op-fr] cosigned its"
                            + " checkpoint of 3 entries")),
        first.out);

    de.record(Event.BATCH_CREATED, batch("b3"), "DE", "", 100);
    Run second = audit("127.0.0.1:" + de.port(), state);
    assertEquals(0, second.status, second.out);
    assertTrue(
        second.out.contains(
            "ok    fedtrace.v1/DE/op-de: consistent with the checkpoint of 3 entries kept from the"
                + " last audit\n"),
        second.out);

    Served rolledBack = serve("op-de", "de-rolled-back");
    rolledBack.record(Event.BATCH_CREATED, batch("b1"), "DE", "", 100);
    Run third = audit("DE=127.0.0.1:" + rolledBack.port(), state, "--witness-wait", "0");
    assertEquals(1, third.status, third.out);
    assertTrue(
        third.out.contains(
            "FAIL  fedtrace.v1/DE/op-de rolled back: its checkpoint has 1 entry, fewer than the"
                + " checkpoint of 4 entries kept from the last audit\n"),
        third.out);
    assertTrue(Files.readString(state).contains("\"tree_size\" : 4"));
  }

  @Test
  void anAuditorCertificateAuditsWithoutBeingAMember() throws Exception {
    Path dpa = tmp.resolve("dpa");
    Run issued =
        run(
            "pki",
            "issue",
            "--ca",
            tmp.resolve("ca").toString(),
            "--auditor",
            "--country",
            "DE",
            "--operator",
            "dpa-audit",
            "--out",
            dpa.toString());
    assertEquals(0, issued.status, issued.err);
    assertTrue(issued.out.startsWith("issued auditor DE/dpa-audit into " + dpa), issued.out);
    assertTrue(Files.exists(dpa.resolve("tls.key")) && !Files.exists(dpa.resolve("signing.key")));
    Served de = serve("op-de", "de");
    de.record(Event.BATCH_CREATED, batch("b1"), "DE", "", 100);
    cosignAsFr(de.log());
    Run r =
        run(
            "audit",
            "--target",
            "DE=127.0.0.1:" + de.port(),
            "--tls",
            dpa.toString(),
            "--state",
            tmp.resolve("dpa.json").toString());
    assertEquals(0, r.status, r.out + r.err);
    assertTrue(r.out.contains("1 of 1 witnesses [FR/op-fr]"), r.out);
    Run member =
        run(
            "pki",
            "issue",
            "--ca",
            tmp.resolve("ca").toString(),
            "--auditor",
            "--country",
            "FR",
            "--operator",
            "op-fr",
            "--out",
            tmp.resolve("x").toString());
    assertEquals(1, member.status);
    assertEquals(
        "fedtrace: FR/op-fr is a member of the agreement; an auditor needs an identity of its"
            + " own\n",
        member.err);
  }

  @Test
  void anUnreachableNodeFails() {
    Run r = audit("DE=127.0.0.1:1", tmp.resolve("s.json"));
    assertEquals(1, r.status, r.out);
    assertTrue(
        r.out.startsWith("FAIL  cannot get the checkpoint of fedtrace.v1/DE/op-de: UNAVAILABLE"),
        r.out);
  }

  @Test
  void badOptionsAreUsageErrors() {
    Path state = tmp.resolve("s.json");
    assertUsage(
        "--target needs the node's country, CC=HOST:PORT, until the state file names it",
        audit("127.0.0.1:7443", state));
    assertUsage(
        "--peers takes CC=HOST:PORT, got 127.0.0.1:7443",
        audit("DE=127.0.0.1:7443", state, "--peers", "127.0.0.1:7443"));
    assertUsage(
        "--target needs HOST:PORT with a port in 1..65535, got 127.0.0.1",
        audit("DE=127.0.0.1", state));
    assertUsage(
        "--target: de is not an ISO 3166-1 alpha-2 country code (codes are upper case: DE)",
        audit("de=127.0.0.1:7443", state));
    assertUsage("--sample must be at least 0, got -1", audit("DE=h:1", state, "--sample", "-1"));
    assertUsage(
        "--quorum must be 0..1 (the agreement's other members), got 2",
        audit("DE=h:1", state, "--quorum", "2"));
    Run r = audit("IT=127.0.0.1:7443", state);
    assertEquals(1, r.status);
    assertEquals(
        "fedtrace: the agreement in " + tmp.resolve("op-fr") + " (version 3) has no member of IT\n",
        r.err);
  }

  private Run audit(String target, Path state, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "--target",
                target,
                "--tls",
                tmp.resolve("op-fr").toString(),
                "--state",
                state.toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static void assertUsage(String message, Run r) {
    assertEquals(2, r.status, r.err);
    assertEquals("fedtrace: " + message + " (see 'fedtrace audit --help')\n", r.err);
  }

  private record Run(int status, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    if (!cl.getSubcommands().containsKey("audit")) {
      // Until Fedtrace registers it; then this line does nothing.
      cl.addSubcommand("audit", new AuditCommand());
    }
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int status = cl.execute(args);
    return new Run(status, out.toString(), err.toString());
  }
}

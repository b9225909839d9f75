package org.fedtrace.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.node.Node;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.tlog.LogEntries;
import org.fedtrace.tlog.MerkleVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public endpoint (spec transparency.md §14) of a real node over HTTPS without a client
 * certificate: what it serves verifies, it refuses writes, out-of-range requests and floods with
 * the rule of the refusal, and nothing it serves identifies a key, an upload or a person. When it
 * fails, check PublicEndpoint (methods, limits, routing), PublicApi (resources) and PublicEntries
 * (what an entry shows).
 */
class PublicEndpointTest {
  @TempDir Path dir;
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  /** A node of DE with the endpoint on, one upload in a published batch: three log entries. */
  private PublicHttp startWithOneUpload(double requestsPerSecond, List<DiagnosisKey> keys)
      throws Exception {
    f = TestFederation.create(dir, Clock.systemUTC(), "DE").withoutBackgroundWork();
    f.withConfig(
        "public:\n  host: 127.0.0.1\n  port: "
            + freePort()
            + "\n  requestsPerSecondPerClient: "
            + requestsPerSecond
            + "\n");
    Node node = f.startNode("DE");
    if (keys != null) {
      f.upload("DE", keys);
      assertEquals(1, node.publishDue(true));
    }
    return new PublicHttp(f.pki().caCertificate(), node.publicPort());
  }

  @Test
  void isOffUnlessConfigured() throws Exception {
    f = TestFederation.create(dir, Clock.systemUTC(), "DE").withoutBackgroundWork();
    assertEquals(-1, f.startNode("DE").publicPort(), "public.port defaults to 0: off (R16.1)");
  }

  @Test
  void presentsTheConfiguredCertificateInsteadOfTheNodesOwn() throws Exception {
    f = TestFederation.create(dir, Clock.systemUTC(), "DE").withoutBackgroundWork();
    // any certificate of a chain the visitor trusts; here one the test authority issued
    org.fedtrace.pki.Credential web = f.pki().member("FR", "op-fr").tls();
    java.nio.file.Files.createDirectories(dir.resolve("web"));
    org.fedtrace.pki.Pem.writeCertificates(dir.resolve("web/chain.pem"), web.certificate());
    org.fedtrace.pki.Pem.writePrivateKey(dir.resolve("web/key.pem"), web.privateKey());
    f.withConfig(
        "public:\n  host: 127.0.0.1\n  port: "
            + freePort()
            + "\n  certificate: "
            + dir.resolve("web/chain.pem")
            + "\n  key: "
            + dir.resolve("web/key.pem")
            + "\n");
    Node node = f.startNode("DE");
    PublicHttp http = new PublicHttp(f.pki().caCertificate(), node.publicPort());
    assertEquals(web.certificate(), http.serverCertificate());
  }

  @Test
  void servesASignedCheckpointEntriesAndProofsThatVerify() throws Exception {
    PublicHttp http =
        startWithOneUpload(1000, new TestBatches(1, Clock.systemUTC().instant()).keys(3, 3));
    JsonNode cp = http.json("/api/v1/checkpoint");
    long size = cp.get("treeSize").asLong();
    assertEquals(f.node("DE").transparencyLog().checkpointSize(), size, "the latest checkpoint");
    assertEquals("fedtrace.v1/DE/op-de", cp.get("logOrigin").asText());
    String note = cp.get("signedNote").asText();
    String text = note.substring(0, note.indexOf("\n\n") + 1);
    byte[] root = Base64.getDecoder().decode(cp.get("rootHash").asText());
    assertEquals(
        "fedtrace.v1/DE/op-de\n" + size + "\n" + cp.get("rootHash").asText() + "\n",
        text.substring(0, text.indexOf("time_unix_millis")));
    byte[] sig = Base64.getDecoder().decode(note.substring(note.lastIndexOf(' ') + 1).strip());
    VerifyingKey.ofRaw(Base64.getDecoder().decode(cp.get("publicKey").asText()))
        .verify(text.getBytes(StandardCharsets.US_ASCII), java.util.Arrays.copyOfRange(sig, 4, 68));

    JsonNode entries = http.json("/api/v1/entries?start=0&end=" + size).get("entries");
    assertEquals(size, entries.size());
    for (JsonNode e : entries) {
      long index = e.get("index").asLong();
      List<byte[]> path =
          hashes(
              http.json("/api/v1/proof/inclusion?index=" + index + "&size=" + size)
                  .get("auditPath"));
      MerkleVerifier.verifyInclusion(
          Base64.getDecoder().decode(e.get("leafHash").asText()), index, size, path, root);
    }
    List<byte[]> proof =
        hashes(http.json("/api/v1/proof/consistency?first=1&second=" + size).get("proof"));
    byte[] first = LogEntries.leafHash(f.node("DE").transparencyLog().entries(0, 1).get(0));
    MerkleVerifier.verifyConsistency(1, size, MerkleVerifier.rootOf(List.of(first)), root, proof);
  }

  @Test
  void refusesEveryWriteAndChangesNothing() throws Exception {
    PublicHttp http =
        startWithOneUpload(1000, new TestBatches(2, Clock.systemUTC().instant()).keys(2, 2));
    long size = f.node("DE").transparencyLog().checkpoint().getTreeSize();
    for (String method : List.of("POST", "PUT", "DELETE", "OPTIONS", "TRACE")) {
      for (String path : List.of("/", "/api/v1/checkpoint", "/api/v1/entries")) {
        PublicHttp.Response r = http.request(method, path);
        assertEquals(405, r.status(), method + " " + path);
        assertEquals("GET, HEAD", r.header("Allow"), method + " " + path);
        if (!method.equals("TRACE")) {
          assertTrue(r.text().contains("\"R16.2: the public endpoint is read-only"), r.text());
        }
      }
    }
    assertEquals(size, f.node("DE").transparencyLog().checkpoint().getTreeSize());
    assertEquals(200, http.request("HEAD", "/api/v1/checkpoint").status());
  }

  @Test
  void refusesQueriesOutOfRangeWithTheRuleOfTheGrpcCheck() throws Exception {
    PublicHttp http =
        startWithOneUpload(1000, new TestBatches(3, Clock.systemUTC().instant()).keys(2, 2));
    long size = f.node("DE").transparencyLog().checkpoint().getTreeSize();
    String[][] cases = {
      {"/api/v1/entries?start=1&end=1", "R13.17: "},
      {"/api/v1/entries?start=0&end=" + (size + 1), "R13.18: "},
      {"/api/v1/proof/inclusion?index=0&size=0", "R13.21: "},
      {"/api/v1/proof/inclusion?index=" + size + "&size=" + size, "R13.22: "},
      {"/api/v1/proof/consistency?first=0&second=1", "R13.24: "},
      {"/api/v1/proof/consistency?first=2&second=1", "R13.25: "},
      {"/api/v1/proof/consistency?first=1&second=" + (size + 1), "R13.26: "},
      {"/api/v1/entries?start=-1&end=2", "R16.4: "},
      {"/api/v1/entries?end=2", "R16.4: "},
      {"/api/v1/proof/inclusion?index=%2D1&size=1", "R16.4: "},
    };
    for (String[] c : cases) {
      PublicHttp.Response r = http.request("GET", c[0]);
      assertEquals(400, r.status(), c[0]);
      assertTrue(r.json().get("error").asText().startsWith(c[1]), c[0] + ": " + r.text());
    }
    assertEquals(404, http.request("GET", "/api/v1/upload").status());
  }

  @Test
  void limitsRequestsPerClientAddress() throws Exception {
    PublicHttp http = startWithOneUpload(1, null);
    List<Integer> statuses = new ArrayList<>();
    PublicHttp.Response refused = null;
    for (int i = 0; i < 5 && refused == null; i++) {
      PublicHttp.Response r = http.request("GET", "/api/v1/federation");
      statuses.add(r.status());
      refused = r.status() == 429 ? r : null;
    }
    assertNotNull(refused, "five requests at once against a rate of 1/s: " + statuses);
    assertTrue(Long.parseLong(refused.header("Retry-After")) >= 1);
    assertTrue(refused.json().get("error").asText().startsWith("R16.9: "), refused.text());
  }

  @Test
  void servesNothingThatIdentifiesAKeyAnUploadOrAPerson() throws Exception {
    List<DiagnosisKey> keys = new TestBatches(4, Clock.systemUTC().instant()).keys(5, 5);
    PublicHttp http = startWithOneUpload(1000, keys);
    long size = f.node("DE").transparencyLog().checkpoint().getTreeSize();
    List<LogEntry> logged = f.node("DE").transparencyLog().entries(0, size);
    List<String> secrets = new ArrayList<>();
    for (DiagnosisKey k : keys) {
      secrets.add(HexFormat.of().formatHex(k.getKeyData().toByteArray()));
      secrets.add(Base64.getEncoder().encodeToString(k.getKeyData().toByteArray()));
    }
    for (LogEntry e : logged) {
      // subjects: batch content hashes and the authorization's hash (times: the fields below)
      secrets.add(HexFormat.of().formatHex(e.getSubjectSha256().toByteArray()));
      secrets.add(Base64.getEncoder().encodeToString(e.getSubjectSha256().toByteArray()));
    }
    List<String> paths =
        List.of(
            "/",
            "/page.js",
            "/api/v1/checkpoint",
            "/api/v1/federation",
            "/api/v1/statistics",
            "/api/v1/entries?start=0&end=" + size,
            "/api/v1/proof/inclusion?index=0&size=" + size,
            "/api/v1/proof/consistency?first=1&second=" + size);
    for (String path : paths) {
      PublicHttp.Response r = http.request("GET", path);
      assertEquals(200, r.status(), path);
      assertNull(r.header("Set-Cookie"), path + " sets a cookie");
      for (String s : secrets) {
        assertFalse(r.text().contains(s), path + " carries " + s);
      }
    }
    Set<String> allowed = Set.of("index", "leafHash", "event", "date", "origin", "peer", "reason");
    int uploads = 0;
    for (JsonNode e : http.json("/api/v1/entries?start=0&end=" + size).get("entries")) {
      Set<String> fields = names(e);
      assertTrue(allowed.containsAll(fields), "fields " + fields);
      if (e.get("event").asText().equals("UPLOAD_AUTHORIZED")) {
        uploads++;
        assertEquals(Set.of("index", "leafHash", "event"), fields, "an upload shows no day");
      } else {
        assertTrue(e.get("date").asText().matches("\\d{4}-\\d{2}-\\d{2}"), e.toString());
      }
    }
    assertEquals(
        logged.stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED)
            .count(),
        uploads);
    JsonNode stats = http.json("/api/v1/statistics");
    assertFalse(stats.get("published").asBoolean(), "no mechanism, no figures (R16.11)");
    assertEquals(0, stats.get("pairs").size());
  }

  @Test
  void servesTheAgreementTermsAndAPageWithoutThirdPartyResources() throws Exception {
    PublicHttp http = startWithOneUpload(1000, null);
    JsonNode terms = http.json("/api/v1/federation");
    var agreement = f.node("DE").agreement();
    assertEquals(agreement.sunsetDate().toString(), terms.get("sunsetDate").asText());
    assertEquals(agreement.retentionDays(), terms.get("retentionDays").asInt());
    assertEquals(agreement.members().size(), terms.get("members").size());
    assertEquals("DE", terms.get("members").get(0).get("country").asText());
    PublicHttp.Response page = http.request("GET", "/");
    assertTrue(page.header("Content-Type").startsWith("text/html"));
    assertEquals(PublicEndpoint.CONTENT_SECURITY_POLICY, page.header("Content-Security-Policy"));
    for (String path : List.of("/", "/page.js", "/page.css")) {
      String text = http.request("GET", path).text();
      assertFalse(
          text.matches("(?s).*(src|href)=\"(https?:)?//.*"), path + " loads from elsewhere");
      assertFalse(text.contains("fetch(\"http"), path);
    }
  }

  private static Set<String> names(JsonNode node) {
    Set<String> out = new TreeSet<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  private static List<byte[]> hashes(JsonNode array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
    return out;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

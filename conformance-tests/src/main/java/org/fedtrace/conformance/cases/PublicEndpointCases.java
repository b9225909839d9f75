package org.fedtrace.conformance.cases;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.wire.Checkpoints;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;

/**
 * spec/transparency.md §14: the public transparency endpoint (rules R16), visited as the public
 * visits it, over HTTPS without a client certificate, and compared with what the node serves its
 * members over gRPC. Needs the endpoint's port ({@code --public-port}).
 */
public final class PublicEndpointCases extends LogCaseBase {
  private static final Base64.Decoder B64 = Base64.getDecoder();
  private static final Set<String> UPLOAD_FIELDS = Set.of("index", "leafHash", "event");

  public PublicEndpointCases(Session s) {
    super(s);
  }

  private PublicClient visitor() {
    return new PublicClient(s.target());
  }

  /**
   * R16.1: a GET of the checkpoint without a client certificate succeeds over TLS 1.3, on a port
   * other than the gRPC listener's. When it fails: the endpoint asks for a certificate, or offers
   * an older TLS.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_1_servesHttpsWithoutAClientCertificate() {
    Expect.check(
        s.target().publicPort().orElseThrow() != s.target().port(),
        "R16.1: the public endpoint shares the gRPC listener's port");
    PublicClient.Response r = visitor().request("GET", "/api/v1/checkpoint");
    Expect.equal(200, r.status(), "R16.1 status of a GET without a client certificate");
    Expect.equal("TLSv1.3", r.protocol(), "R16.1 TLS version");
  }

  /**
   * R16.2: POST, PUT and DELETE, on the page and on the API, are answered 405 with {@code Allow:
   * GET, HEAD}. When it fails: the endpoint accepts writes.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_2_refusesWrites() {
    PublicClient visitor = visitor();
    for (String method : List.of("POST", "PUT", "DELETE")) {
      for (String path : List.of("/", "/api/v1/checkpoint", "/api/v1/entries?start=0&end=1")) {
        PublicClient.Response r = visitor.request(method, path);
        Expect.equal(405, r.status(), "R16.2 status of " + method + " " + path);
        Expect.equal("GET, HEAD", r.header("Allow"), "R16.2 Allow of " + method + " " + path);
      }
    }
  }

  /**
   * R16.3: the public checkpoint is the node's log's: its fields make a checkpoint whose
   * signer_certificate is the node's batch-signing certificate (R13.12) and whose signature
   * verifies (R13.11); its signed note is exactly the C2SP note of §5.3; its public key is the
   * certificate's; it covers what the members' GetCheckpoint covered just before. When it fails:
   * the public sees another log than the members, or a note no C2SP tool verifies.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  public void R16_3_servesTheSignedCheckpoint() {
    Checkpoint members = log.checkpoint();
    JsonObject json = visitor().json("/api/v1/checkpoint");
    Checkpoint c = checkpoint(json);
    log.verify(c);
    byte[] key = log.signerKey(c);
    Expect.equal(
        Base64.getEncoder().encodeToString(key),
        json.get("publicKey").getAsString(),
        "R16.3 publicKey");
    Expect.equal(
        Checkpoints.signedNote(c, key), json.get("signedNote").getAsString(), "R16.3 note");
    Expect.check(
        c.getTreeSize() >= members.getTreeSize(),
        "R16.3: the public checkpoint covers "
            + c.getTreeSize()
            + " entries, fewer than the "
            + members.getTreeSize()
            + " of GetCheckpoint before it");
  }

  /**
   * R16.4: a query without a number, or with one that is not decimal digits, is answered 400 with
   * an error starting "R16.4: ". When it fails: the endpoint guesses, or fails with 500.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_4_refusesMalformedNumbers() {
    PublicClient visitor = visitor();
    for (String path :
        List.of(
            "/api/v1/entries?end=1",
            "/api/v1/entries?start=-1&end=1",
            "/api/v1/proof/inclusion?index=x&size=1",
            "/api/v1/proof/consistency?first=1&second=1e3")) {
      expectRefused(visitor, path, "R16.4");
    }
  }

  /**
   * R16.5: ranges the gRPC checks refuse are answered 400 with the id of the same rule. When it
   * fails: the endpoint serves entries or proofs beyond its signed tree, or answers another rule.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  public void R16_5_refusesRangesAsTheGrpcChecks() {
    long n = checkpoint(visitor().json("/api/v1/checkpoint")).getTreeSize();
    PublicClient visitor = visitor();
    expectRefused(visitor, "/api/v1/entries?start=1&end=1", "R13.17");
    expectRefused(visitor, "/api/v1/entries?start=0&end=" + (n + 1), "R13.18");
    expectRefused(visitor, "/api/v1/proof/inclusion?index=0&size=0", "R13.21");
    expectRefused(visitor, "/api/v1/proof/consistency?first=0&second=1", "R13.24");
    expectRefused(visitor, "/api/v1/proof/consistency?first=2&second=1", "R13.25");
    expectRefused(visitor, "/api/v1/proof/consistency?first=1&second=" + (n + 1), "R13.26");
    if (n > 0) {
      expectRefused(visitor, "/api/v1/proof/inclusion?index=" + n + "&size=" + n, "R13.22");
    }
  }

  /**
   * R16.6 and R16.7: after a publish, the latest entries in public form are those of GetEntries, in
   * order, each with the leaf hash of its encoding and only the fields §14.3 lists (of an upload
   * nothing but index, leaf hash and event). When it fails: the public form leaks a field, or
   * describes entries the log does not hold.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  @Covers("R16.7")
  public void R16_6_servesEntriesInPublicForm() {
    AroundPublish p = aroundPublish();
    long n = p.after().getTreeSize();
    long start = Math.max(0, n - 20);
    JsonArray pub =
        visitor().json("/api/v1/entries?start=" + start + "&end=" + n).getAsJsonArray("entries");
    Expect.check(
        pub.size() >= 1 && pub.size() <= n - start,
        "R16.6: " + pub.size() + " entries for [" + start + ", " + n + ")");
    List<LogEntry> members = log.entries(start, start + pub.size());
    for (int i = 0; i < pub.size(); i++) {
      assertPublicForm(pub.get(i).getAsJsonObject(), members.get(i));
    }
  }

  /**
   * R16.8: no resource carries the subject hash of an entry (hex or base64), no entry carries a key
   * count or a time finer than the day, and no answer sets a cookie. When it fails: the public can
   * link entries to authorizations or batches, or track visitors.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  public void R16_8_servesNothingIdentifying() {
    AroundPublish p = aroundPublish();
    long n = p.after().getTreeSize();
    long start = Math.max(0, n - 20);
    List<String> forbidden = new ArrayList<>();
    for (LogEntry e : log.entries(start, n)) {
      byte[] subject = e.getSubjectSha256().toByteArray();
      forbidden.add(HexFormat.of().formatHex(subject));
      forbidden.add(Base64.getEncoder().encodeToString(subject));
    }
    PublicClient visitor = visitor();
    for (String path :
        List.of(
            "/",
            "/api/v1/checkpoint",
            "/api/v1/federation",
            "/api/v1/statistics",
            "/api/v1/entries?start=" + start + "&end=" + n,
            "/api/v1/proof/inclusion?index=" + (n - 1) + "&size=" + n)) {
      PublicClient.Response r = visitor.request("GET", path);
      Expect.equal(200, r.status(), "R16.8 status of GET " + path);
      Expect.equal(null, r.header("Set-Cookie"), "R16.8 Set-Cookie of " + path);
      for (String f : forbidden) {
        Expect.check(!r.body().contains(f), "R16.8: GET " + path + " carries a subject hash " + f);
      }
    }
    JsonArray entries =
        visitor.json("/api/v1/entries?start=" + start + "&end=" + n).getAsJsonArray("entries");
    for (JsonElement e : entries) {
      JsonObject o = e.getAsJsonObject();
      Expect.check(
          !o.has("keyCount") && !o.has("time") && !o.has("subject"),
          "R16.8: entry " + o + " carries a key count, a time or a subject");
    }
  }

  /**
   * R16.10: the agreement terms are those GetNodeInfo answers members: federation, agreement hash,
   * retention and sunset, and the node among the members. When it fails: the public is told other
   * terms than the ones the node enforces.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_10_servesTheAgreementTerms() {
    JsonObject f = visitor().json("/api/v1/federation");
    var info = s.info();
    Expect.equal(info.getFederation(), f.get("federation").getAsString(), "R16.10 federation");
    Expect.equal(
        HexFormat.of().formatHex(info.getAgreementSha256().toByteArray()),
        f.get("agreementSha256").getAsString(),
        "R16.10 agreementSha256");
    Expect.equal(info.getRetentionDays(), f.get("retentionDays").getAsInt(), "R16.10 retention");
    Expect.equal(info.getSunsetDate(), f.get("sunsetDate").getAsString(), "R16.10 sunsetDate");
    boolean listed = false;
    for (JsonElement m : f.getAsJsonArray("members")) {
      JsonObject o = m.getAsJsonObject();
      listed |=
          o.get("country").getAsString().equals(info.getNode().getCountry())
              && o.get("operatorId").getAsString().equals(info.getNode().getOperatorId());
    }
    Expect.check(listed, "R16.10: the node is not among the members " + f.get("members"));
  }

  /**
   * R16.11: statistics are either not published (no figures) or name their mechanism and ε. When it
   * fails: the node publishes exact counts.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_11_publishesStatisticsOnlyWithAStatedMechanism() {
    JsonObject st = visitor().json("/api/v1/statistics");
    if (st.get("published").getAsBoolean()) {
      Expect.check(
          st.has("mechanism") && st.has("epsilon"),
          "R16.11: published statistics without mechanism and epsilon: " + st);
    } else {
      Expect.equal(0, st.getAsJsonArray("pairs").size(), "R16.11 figures when not published");
    }
  }

  /**
   * R16.12: the page is HTML under a Content-Security-Policy whose sources are only 'self' and
   * 'none', and it refers to no other origin. When it fails: the page loads third-party code.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R16_12_servesThePageFromItsOwnOrigin() {
    PublicClient.Response page = visitor().request("GET", "/");
    Expect.equal(200, page.status(), "R16.12 status of GET /");
    String csp = page.header("Content-Security-Policy");
    Expect.check(csp != null && csp.contains("default-src"), "R16.12: no CSP default-src: " + csp);
    for (String directive : csp.split(";")) {
      String[] words = directive.strip().split("\\s+");
      for (String source : Arrays.asList(words).subList(1, words.length)) {
        Expect.check(
            source.equals("'self'") || source.equals("'none'"),
            "R16.12: the CSP allows " + source + " in '" + directive.strip() + "'");
      }
    }
    Expect.check(
        !page.body().matches("(?s).*(src|href)\\s*=\\s*\"?(https?:)?//.*"),
        "R16.12: the page refers to another origin");
  }

  /**
   * R16.13: the public inclusion proof of the newest entry and the consistency proof from one entry
   * to the whole tree verify under the public checkpoint's root. When it fails: the proofs are of
   * another tree than the signed one.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  public void R16_13_servesProofsThatVerify() {
    aroundPublish();
    PublicClient visitor = visitor();
    Checkpoint c = checkpoint(visitor.json("/api/v1/checkpoint"));
    log.verify(c);
    long n = c.getTreeSize();
    byte[] root = c.getRootHash().toByteArray();
    LogEntry last = log.entry(n - 1);
    JsonObject inc = visitor.json("/api/v1/proof/inclusion?index=" + (n - 1) + "&size=" + n);
    JsonObject con = visitor.json("/api/v1/proof/consistency?first=1&second=" + n);
    try {
      Merkle.verifyInclusion(
          LogReader.leafHash(last), n - 1, n, hashes(inc.getAsJsonArray("auditPath")), root);
      Merkle.verifyConsistency(
          1, n, LogReader.leafHash(log.entry(0)), root, hashes(con.getAsJsonArray("proof")));
    } catch (Merkle.InvalidProof e) {
      throw new AssertionError("R16.13: a public proof does not verify: " + e.getMessage(), e);
    }
  }

  /**
   * R16.15: past the sunset, a controlled node's public endpoint still serves a checkpoint that
   * verifies. When it fails: the node closes its public log with the exchange.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG, Need.CONTROLLED_NODE})
  public void R16_15_servesPastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      Instant sunset =
          LocalDate.parse(cs.info().getSunsetDate())
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      node.advanceClock(Duration.between(Instant.now(), sunset).plusHours(1));
      PublicEndpointCases c = new PublicEndpointCases(cs);
      c.log.verify(checkpoint(c.visitor().json("/api/v1/checkpoint")));
    }
  }

  /**
   * R16.15, remotely: a node running the kit's past-sunset agreement (the second pass of §6.3)
   * still serves a checkpoint that verifies on its public endpoint. When it fails: the node closes
   * its public log with the exchange.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG, Need.PAST_SUNSET})
  public void R16_15_servesUnderPastSunsetAgreement() throws Exception {
    log.verify(checkpoint(visitor().json("/api/v1/checkpoint")));
  }

  private void assertPublicForm(JsonObject p, LogEntry e) {
    String what = "R16.7 entry " + e.getLeafIndex();
    Expect.equal(e.getLeafIndex(), p.get("index").getAsLong(), "R16.6 index");
    Expect.equal(
        Base64.getEncoder().encodeToString(LogReader.leafHash(e)),
        p.get("leafHash").getAsString(),
        what + " leafHash");
    Expect.equal(
        e.getEventType().name().substring("EVENT_TYPE_".length()),
        p.get("event").getAsString(),
        what + " event");
    Set<String> fields = new TreeSet<>(p.keySet());
    if (e.getEventType() == EventType.EVENT_TYPE_UPLOAD_AUTHORIZED) {
      Expect.equal(new TreeSet<>(UPLOAD_FIELDS), fields, what + " fields of an upload");
      return;
    }
    Set<String> expected = new TreeSet<>(UPLOAD_FIELDS);
    expected.addAll(List.of("date", "origin"));
    if (!e.getPeer().isEmpty()) {
      expected.add("peer");
      Expect.equal(e.getPeer(), p.get("peer").getAsString(), what + " peer");
    }
    if (!e.getReason().isEmpty()) {
      expected.add("reason");
      Expect.equal(e.getReason(), p.get("reason").getAsString(), what + " reason");
    }
    Expect.equal(expected, fields, what + " fields");
    Expect.equal(
        Instant.ofEpochSecond(e.getTimeUnixSeconds())
            .atOffset(ZoneOffset.UTC)
            .toLocalDate()
            .toString(),
        p.get("date").getAsString(),
        what + " date");
    Expect.equal(e.getOrigin(), p.get("origin").getAsString(), what + " origin");
  }

  private static void expectRefused(PublicClient visitor, String path, String rule) {
    PublicClient.Response r = visitor.request("GET", path);
    Expect.equal(400, r.status(), rule + " status of GET " + path);
    String error = r.json().get("error").getAsString();
    Expect.check(error.startsWith(rule + ": "), rule + ": GET " + path + " answered " + error);
  }

  /** The checkpoint the public JSON describes, with the signature of its note. */
  static Checkpoint checkpoint(JsonObject json) {
    String note = json.get("signedNote").getAsString();
    String line = note.strip().substring(note.strip().lastIndexOf('\n') + 1);
    byte[] keyIdAndSignature = B64.decode(line.substring(line.lastIndexOf(' ') + 1));
    return Checkpoint.newBuilder()
        .setLogOrigin(json.get("logOrigin").getAsString())
        .setTreeSize(json.get("treeSize").getAsLong())
        .setRootHash(ByteString.copyFrom(B64.decode(json.get("rootHash").getAsString())))
        .setTimeUnixMillis(json.get("timeUnixMillis").getAsLong())
        .setSignature(
            ByteString.copyFrom(Arrays.copyOfRange(keyIdAndSignature, 4, keyIdAndSignature.length)))
        .setSignerCertificate(
            ByteString.copyFrom(B64.decode(json.get("signerCertificate").getAsString())))
        .build();
  }

  private static List<byte[]> hashes(JsonArray array) {
    List<byte[]> out = new ArrayList<>();
    array.forEach(h -> out.add(B64.decode(h.getAsString())));
    return out;
  }
}

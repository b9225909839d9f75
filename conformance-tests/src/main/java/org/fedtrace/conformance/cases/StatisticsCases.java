package org.fedtrace.conformance.cases;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * spec/transparency.md §16: differentially private statistics (rules R18), read as the public reads
 * them from the public endpoint ({@code --public-port}): the statistics resource, its releases and
 * the budget ledger in the public entries. A node that does not release statistics ({@code
 * published: false}) skips these cases; one that releases is checked on every release it serves.
 * The controlled-node case makes a release happen and checks it too.
 */
public final class StatisticsCases extends LogCaseBase {
  private static final String STATS = "/api/v1/statistics";
  private static final String RELEASED = "STATISTICS_RELEASED";

  public StatisticsCases(Session s) {
    super(s);
  }

  private PublicClient visitor() {
    return new PublicClient(s.target());
  }

  /** The statistics resource of a node that releases; skips when it releases none. */
  private static JsonObject published(PublicClient visitor) {
    JsonObject st = visitor.json(STATS);
    if (!st.get("published").getAsBoolean()) {
      throw new Skipped("the node does not release statistics (statistics.enabled is false)");
    }
    return st;
  }

  private static List<JsonObject> releases(JsonObject st) {
    List<JsonObject> out = new ArrayList<>();
    st.getAsJsonArray("releases").forEach(r -> out.add(r.getAsJsonObject()));
    return out;
  }

  /** Every public entry, by index. */
  private static Map<Long, JsonObject> entries(PublicClient visitor) {
    long size = visitor.json("/api/v1/checkpoint").get("treeSize").getAsLong();
    Map<Long, JsonObject> out = new HashMap<>();
    for (long start = 0; start < size; ) {
      long end = Math.min(size, start + 1000);
      for (JsonElement e :
          visitor
              .json("/api/v1/entries?start=" + start + "&end=" + end)
              .getAsJsonArray("entries")) {
        out.put(e.getAsJsonObject().get("index").getAsLong(), e.getAsJsonObject());
      }
      start = end;
    }
    return out;
  }

  /**
   * R18.1: the resource names the discrete Laplace mechanism, ε per family is a fifth of ε, and
   * each sensitivity is that of §16.2 for the agreement's members. When it fails: the node uses
   * another mechanism or scale than it states.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_1_statesTheMechanismAndItsScale() {
    PublicClient visitor = visitor();
    JsonObject st = published(visitor);
    Expect.equal("discrete Laplace", st.get("mechanism").getAsString(), "R18.1 mechanism");
    BigDecimal eps = new BigDecimal(st.get("epsilon").getAsString());
    Expect.check(
        new BigDecimal(st.get("epsilonPerFamily").getAsString())
                .multiply(BigDecimal.valueOf(5))
                .compareTo(eps)
            == 0,
        "R18.1: epsilonPerFamily is not a fifth of epsilon " + eps);
    long members =
        visitor.json("/api/v1/federation").getAsJsonArray("members").asList().stream()
            .map(m -> m.getAsJsonObject().get("country").getAsString())
            .distinct()
            .count();
    JsonObject d = st.getAsJsonObject("sensitivity");
    long pairs = Math.max(1, members - 1);
    Expect.equal(1L, d.get("uploads").getAsLong(), "R18.1 sensitivity of uploads");
    Expect.equal(1L, d.get("delayDays").getAsLong(), "R18.1 sensitivity of the delay histogram");
    Expect.equal(
        st.get("keysPerUploadCap").getAsLong(), d.get("keys").getAsLong(), "R18.1 of keys");
    Expect.equal(pairs, d.get("pairBatches").getAsLong(), "R18.1 of pair batches");
    Expect.equal(64 * pairs, d.get("pairKeys").getAsLong(), "R18.1 of pair keys");
  }

  /**
   * R18.2: every release's ledger entry is dated at least 1 + ⌊delayHours/24⌋ days after the day it
   * releases, and delayHours is at least 24. When it fails: the node releases a day too soon.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_2_releasesADayOnlyAfterTheDelay() {
    PublicClient visitor = visitor();
    JsonObject st = published(visitor);
    long delay = st.get("delayHours").getAsLong();
    Expect.check(delay >= 24, "R18.2: delayHours " + delay + " is less than 24");
    Map<Long, JsonObject> entries = entries(visitor);
    for (JsonObject r : releases(st)) {
      LocalDate day = LocalDate.parse(r.getAsJsonObject("release").get("day").getAsString());
      JsonObject e = entries.get(r.get("leafIndex").getAsLong());
      Expect.check(e != null, "R18.6: no entry at the index of the release of " + day);
      LocalDate logged = LocalDate.parse(e.get("date").getAsString());
      Expect.check(
          !logged.isBefore(day.plusDays(1 + delay / 24)),
          "R18.2: " + day + " was released on " + logged + ", before its delay of " + delay + "h");
    }
  }

  /**
   * R18.3: a published authority row has at least minUploads uploads; a row below it holds only its
   * authority and published false. When it fails: the node shows small authorities' figures.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_3_publishesAnAuthorityOnlyFromTheThreshold() {
    JsonObject st = published(visitor());
    long min = st.get("minUploads").getAsLong();
    for (JsonObject r : releases(st)) {
      for (JsonElement a : r.getAsJsonObject("release").getAsJsonArray("authorities")) {
        JsonObject row = a.getAsJsonObject();
        String what =
            "R18.3 " + row.get("authority") + " on " + r.getAsJsonObject("release").get("day");
        if (row.get("published").getAsBoolean()) {
          Expect.check(row.get("uploads").getAsLong() >= min, what + ": below " + min + " uploads");
        } else {
          Expect.equal(
              new TreeSet<>(List.of("authority", "published")),
              new TreeSet<>(row.keySet()),
              what + ": fields of a withheld row");
        }
      }
    }
  }

  /**
   * R18.4: every release has the same authorities, every ordered pair of distinct member countries
   * and, in published rows, every delay bin. When it fails: which cells exist depends on the data.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_4_holdsEveryCellWhateverTheData() {
    PublicClient visitor = visitor();
    JsonObject st = published(visitor);
    List<String> countries =
        visitor.json("/api/v1/federation").getAsJsonArray("members").asList().stream()
            .map(m -> m.getAsJsonObject().get("country").getAsString())
            .distinct()
            .sorted()
            .toList();
    List<String> expected = new ArrayList<>();
    for (String from : countries) {
      for (String to : countries) {
        if (!from.equals(to)) {
          expected.add(from + "-" + to);
        }
      }
    }
    List<String> authorities = null;
    List<String> bins = null;
    for (JsonObject r : releases(st)) {
      JsonObject body = r.getAsJsonObject("release");
      String day = body.get("day").getAsString();
      List<String> pairs =
          body.getAsJsonArray("pairs").asList().stream()
              .map(
                  p ->
                      p.getAsJsonObject().get("from").getAsString()
                          + "-"
                          + p.getAsJsonObject().get("to").getAsString())
              .toList();
      Expect.equal(expected, pairs, "R18.4 pairs of " + day);
      List<String> has = new ArrayList<>();
      for (JsonElement a : body.getAsJsonArray("authorities")) {
        has.add(a.getAsJsonObject().get("authority").getAsString());
        if (a.getAsJsonObject().get("published").getAsBoolean()) {
          List<String> b =
              new ArrayList<>(a.getAsJsonObject().getAsJsonObject("delayDays").keySet());
          Expect.check(bins == null || bins.equals(b), "R18.4 bins of " + day + ": " + b);
          bins = b;
        }
      }
      Expect.check(authorities == null || authorities.equals(has), "R18.4 authorities of " + day);
      authorities = has;
    }
  }

  /**
   * R18.5: two reads of the resource serve the same releases, and no day is released twice. When it
   * fails: the node draws new noise per request, which averaging would remove.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_5_servesEachReleaseUnchanged() {
    PublicClient visitor = visitor();
    JsonObject first = published(visitor);
    JsonObject second = visitor.json(STATS);
    List<JsonObject> a = releases(first);
    List<JsonObject> b = releases(second);
    Expect.check(b.size() >= a.size(), "R18.5: releases disappeared between two reads");
    Expect.equal(a, b.subList(0, a.size()), "R18.5 releases read twice");
    TreeSet<String> days = new TreeSet<>();
    for (JsonObject r : b) {
      String day = r.getAsJsonObject("release").get("day").getAsString();
      Expect.check(days.add(day), "R18.5: " + day + " is released twice");
    }
  }

  /**
   * R18.6: each release's entry (public form and, over gRPC, in full) is STATISTICS_RELEASED of the
   * node's country, without peer, with key count 0, the release's ε as reason and the SHA-256 of
   * the release's compact JSON as subject. When it fails: a release is not on the ledger.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG})
  public void R18_6_recordsEachReleaseInTheLog() {
    PublicClient visitor = visitor();
    JsonObject st = published(visitor);
    String country = s.info().getNode().getCountry();
    var gson = new GsonBuilder().disableHtmlEscaping().create();
    for (JsonObject r : releases(st)) {
      JsonObject body = r.getAsJsonObject("release");
      String sha =
          HexFormat.of()
              .formatHex(Canonical.sha256(gson.toJson(body).getBytes(StandardCharsets.UTF_8)));
      String what = "R18.6 release of " + body.get("day").getAsString();
      Expect.equal(sha, r.get("sha256").getAsString(), what + ": sha256 of its body");
      LogEntry e = log.entry(r.get("leafIndex").getAsLong());
      Expect.equal(EventType.EVENT_TYPE_STATISTICS_RELEASED, e.getEventType(), what + " event");
      Expect.equal(sha, HexFormat.of().formatHex(e.getSubjectSha256().toByteArray()), what);
      Expect.equal(country, e.getOrigin(), what + " origin");
      Expect.equal("", e.getPeer(), what + " peer");
      Expect.equal(0, e.getKeyCount(), what + " key count");
      Expect.equal(body.get("epsilon").getAsString(), e.getReason(), what + " reason");
    }
  }

  /**
   * R18.7: the ε spent does not exceed the budget. When it fails: the node releases past its
   * totalEpsilon.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_7_spendsNoMoreThanTheBudget() {
    JsonObject st = published(visitor());
    BigDecimal spent = new BigDecimal(st.get("spentEpsilon").getAsString());
    BigDecimal total = new BigDecimal(st.get("totalEpsilon").getAsString());
    Expect.check(spent.compareTo(total) <= 0, "R18.7: spent " + spent + " of a budget of " + total);
  }

  /**
   * R18.8: spentEpsilon equals the sum of the reasons of the log's STATISTICS_RELEASED entries and
   * that of the releases' ε. When it fails: the ledger and the releases disagree.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_8_spentEqualsTheLedger() {
    PublicClient visitor = visitor();
    JsonObject st = published(visitor);
    BigDecimal ledger = BigDecimal.ZERO;
    for (JsonObject e : entries(visitor).values()) {
      if (e.get("event").getAsString().equals(RELEASED)) {
        ledger = ledger.add(new BigDecimal(e.get("reason").getAsString()));
      }
    }
    BigDecimal served = BigDecimal.ZERO;
    for (JsonObject r : releases(st)) {
      served =
          served.add(new BigDecimal(r.getAsJsonObject("release").get("epsilon").getAsString()));
    }
    BigDecimal spent = new BigDecimal(st.get("spentEpsilon").getAsString());
    Expect.check(spent.compareTo(ledger) == 0, "R18.8: spent " + spent + ", ledger " + ledger);
    Expect.check(spent.compareTo(served) == 0, "R18.8: spent " + spent + ", releases " + served);
  }

  /**
   * R18.9: keysPerUploadCap is 1 to 64. When it fails: the keys count's sensitivity is unbounded.
   */
  @Needs(Need.PUBLIC_ENDPOINT)
  public void R18_9_capsTheKeysOfOneUpload() {
    long cap = published(visitor()).get("keysPerUploadCap").getAsLong();
    Expect.check(cap >= 1 && cap <= 64, "R18.9: keysPerUploadCap " + cap);
  }

  /**
   * R18.2, R18.3, R18.9 on a controlled node: ten uploads of 20 keys today; no release of today
   * before the delay passed, one after it, and every check of this class holds on it. When the
   * node's ε per family is at least 1000 (its noise is then 0 but with probability below 10^-400),
   * the figures are exact: 10 uploads, published, and 10 times the cap of keys. When it fails: the
   * release job, the delay or the cap.
   */
  @Needs({Need.PUBLIC_ENDPOINT, Need.TRANSPARENCY_LOG, Need.UPLOAD, Need.CONTROLLED_NODE})
  @Covers("R18.9")
  public void R18_2_releasesOnAControlledNodeAfterTheDelay() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      StatisticsCases c = new StatisticsCases(cs);
      JsonObject st = published(c.visitor());
      UploadCases up = new UploadCases(cs);
      for (int i = 0; i < 10; i++) {
        List<DiagnosisKey> keys = cs.batches().keys(20);
        UploadDiagnosisKeysRequest r =
            UploadDiagnosisKeysRequest.newBuilder()
                .addAllKeys(keys)
                .setAuthorization(up.authorization(keys, a -> a))
                .build();
        Expect.succeeds("an upload", () -> cs.upload(up.backend()).uploadDiagnosisKeys(r));
      }
      Instant now = Instant.now();
      LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
      Instant due =
          today
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant()
              .plusSeconds(st.get("delayHours").getAsLong() * 3600);
      node.advanceClock(Duration.between(now, due).minusMinutes(10));
      Expect.check(
          releases(c.visitor().json(STATS)).stream()
              .noneMatch(
                  x ->
                      x.getAsJsonObject("release")
                          .get("day")
                          .getAsString()
                          .equals(today.toString())),
          "R18.2: " + today + " released 10 minutes before its delay ended");
      node.advanceClock(Duration.ofMinutes(20));
      JsonObject after = c.visitor().json(STATS);
      final JsonObject release =
          releases(after).stream()
              .map(x -> x.getAsJsonObject("release"))
              .filter(x -> x.get("day").getAsString().equals(today.toString()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("R18.2: " + today + " not released when due"));
      c.R18_2_releasesADayOnlyAfterTheDelay();
      c.R18_3_publishesAnAuthorityOnlyFromTheThreshold();
      c.R18_4_holdsEveryCellWhateverTheData();
      c.R18_6_recordsEachReleaseInTheLog();
      c.R18_8_spentEqualsTheLedger();
      if (new BigDecimal(after.get("epsilonPerFamily").getAsString())
              .compareTo(BigDecimal.valueOf(1000))
          >= 0) {
        JsonObject row = release.getAsJsonArray("authorities").get(0).getAsJsonObject();
        Expect.check(row.get("published").getAsBoolean(), "R18.3: 10 uploads not published");
        Expect.equal(10L, row.get("uploads").getAsLong(), "R18.2 uploads released");
        Expect.equal(
            10 * after.get("keysPerUploadCap").getAsLong(),
            row.get("keys").getAsLong(),
            "R18.9: keys of 10 uploads of 20 keys");
      }
    }
  }
}

package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Covers;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Batches;
import org.fedtrace.conformance.wire.Connections;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;

/**
 * Spec §9: PullBatches. Member A publishes; member B pulls from the cursor it held before, so the
 * node's freedom to leave out the caller's own origin (R9.8) does not matter, except where a case
 * says otherwise. Other batches the node stores meanwhile may be interleaved and are ignored.
 */
public final class PullCases extends CaseBase {
  public PullCases(Session s) {
    super(s);
  }

  /** The ids of {@code batches}, in order. */
  private static List<ByteString> ids(List<DiagnosisKeyBatch> batches) {
    return batches.stream().map(DiagnosisKeyBatch::getBatchId).toList();
  }

  /** Publishes {@code n} new batches of member A, in order. */
  private List<DiagnosisKeyBatch> publishBatches(int n) {
    List<DiagnosisKeyBatch> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      DiagnosisKeyBatch b = valid(a(), 1);
      publish(a().tls(), b);
      out.add(b);
    }
    return out;
  }

  /**
   * Pulls as {@code caller} from {@code cursor} until caught up, {@code max} per page, collecting
   * the batches whose ids are in {@code wanted}; asserts pages hold at most {@code max} batches.
   */
  private List<ByteString> pullAll(
      Credential caller, ByteString cursor, int max, Set<ByteString> wanted) {
    List<ByteString> seen = new ArrayList<>();
    ByteString c = cursor;
    for (int page = 0; page < 10_000; page++) {
      PullBatchesResponse r = s.pull(caller, c, max);
      Expect.check(
          r.getBatchesCount() <= (max == 0 ? 100 : max),
          "R9.3: a page of " + r.getBatchesCount() + " batches for max_batches " + max);
      for (DiagnosisKeyBatch b : r.getBatchesList()) {
        if (wanted.contains(b.getBatchId())) {
          seen.add(b.getBatchId());
        }
      }
      c = r.getNextCursor();
      if (r.getCaughtUp()) {
        return seen;
      }
    }
    throw new AssertionError("PullBatches never caught up");
  }

  /** R9.1: max_batches 1001; field path {@code max_batches}. When it fails: no upper bound. */
  public void R9_1_refusesMaxBatchesAbove1000() {
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R9.1",
            () ->
                s.federation(b().tls())
                    .pullBatches(PullBatchesRequest.newBuilder().setMaxBatches(1001).build()))
        .hasField("max_batches", "R9.1");
  }

  /**
   * R9.2: a cursor of 65 bytes; field path {@code cursor}. When it fails: the node accepts overlong
   * cursors (or interprets any bytes as a position).
   */
  public void R9_2_refusesOverlongCursor() {
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R9.2",
            () ->
                s.federation(b().tls())
                    .pullBatches(
                        PullBatchesRequest.newBuilder()
                            .setCursor(batches().randomBytes(65))
                            .build()))
        .hasField("cursor", "R9.2");
  }

  /**
   * R9.13: member B publishes a batch of its own country to the node, then pulls from the head it
   * held before with {@code include_own_origin} until caught up: the batch is among those returned.
   * When it fails: the node leaves out the caller's own batches although it asked for them, so an
   * origin started anew cannot get its numbering back (R21.24).
   */
  public void R9_13_servesCallersOwnBatchesWhenAsked() {
    ByteString cursor = s.head(b().tls());
    DiagnosisKeyBatch own = valid(b(), 2);
    publish(b().tls(), own);
    List<ByteString> ids = new ArrayList<>();
    for (int page = 0; page < 1000; page++) {
      ByteString from = cursor;
      PullBatchesResponse r =
          Expect.succeeds(
              "PullBatches with include_own_origin",
              () ->
                  s.federation(b().tls())
                      .pullBatches(
                          PullBatchesRequest.newBuilder()
                              .setCursor(from)
                              .setMaxBatches(1000)
                              .setIncludeOwnOrigin(true)
                              .build()));
      r.getBatchesList().forEach(x -> ids.add(x.getBatchId()));
      cursor = r.getNextCursor();
      if (r.getCaughtUp()) {
        break;
      }
    }
    Expect.check(
        ids.contains(own.getBatchId()),
        "R9.13: member B's own batch was left out although it asked for it");
  }

  /**
   * R9.3: three batches published in order come back in that order, each once, across pages of
   * max_batches 2, and with max_batches 0 (meaning 100). When it fails: the node orders by
   * something other than commit order, repeats batches across pages, or ignores max_batches.
   */
  public void R9_3_returnsBatchesInCommitOrderOnce() {
    ByteString before = s.head(b().tls());
    List<DiagnosisKeyBatch> published = publishBatches(3);
    Set<ByteString> wanted = new HashSet<>(ids(published));
    Expect.equal(ids(published), pullAll(b().tls(), before, 2, wanted), "R9.3 batches, pages of 2");
    Expect.equal(ids(published), pullAll(b().tls(), before, 0, wanted), "R9.3 batches, max 0");
  }

  /**
   * R9.4: max_batches 1 returns exactly one batch when one follows; and three batches of about 1.7
   * MB (10,000 keys with 32 visited countries each) are paged so that no response exceeds 4,194,304
   * bytes (the suite's client refuses larger ones), while each page holds at least one. When it
   * fails: the node fills pages by count only.
   */
  @Slow
  @Covers("R6.14")
  public void R9_4_keepsPagesWithin4MiB() {
    ByteString before = s.head(b().tls());
    DiagnosisKeyBatch one = valid(a(), 1);
    publish(a().tls(), one);
    PullBatchesResponse first = s.pull(b().tls(), before, 1);
    Expect.equal(1, first.getBatchesCount(), "R9.4 batches for max_batches 1");
    int keys = (int) Math.min(10_000, Integer.toUnsignedLong(s.info().getMaxKeysPerBatch()));
    List<DiagnosisKeyBatch> big = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      DiagnosisKeyBatch b = sign(unsigned(a(), bigKeys(keys)), a());
      publish(a().tls(), b);
      big.add(b);
    }
    Expect.check(
        big.stream().mapToLong(DiagnosisKeyBatch::getSerializedSize).sum()
            > Connections.MAX_RESPONSE_BYTES,
        "the big batches together exceed 4 MiB");
    ByteString c = first.getNextCursor();
    Set<ByteString> wanted = new HashSet<>(ids(big));
    List<ByteString> seen = new ArrayList<>();
    for (int page = 0; page < 1000; page++) {
      PullBatchesResponse r;
      try {
        r =
            s.federation(b().tls())
                .pullBatches(
                    PullBatchesRequest.newBuilder().setCursor(c).setMaxBatches(1000).build());
      } catch (io.grpc.StatusRuntimeException e) {
        throw new AssertionError(
            "R9.4: a page the client could not take (over 4 MiB?): "
                + Expect.describe(e.getStatus()),
            e);
      }
      Expect.check(
          r.getCaughtUp() || r.getBatchesCount() > 0, "R9.4: an empty page before the end");
      r.getBatchesList().stream()
          .map(DiagnosisKeyBatch::getBatchId)
          .filter(wanted::contains)
          .forEach(seen::add);
      c = r.getNextCursor();
      if (r.getCaughtUp()) {
        break;
      }
    }
    Expect.equal(ids(big), seen, "R9.4 the big batches, in order");
  }

  /**
   * Keys with 32 visited countries that leave the retention window about an hour from now, so the
   * node stops serving these large batches soon.
   */
  private List<DiagnosisKey> bigKeys(int n) {
    List<String> countries = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      countries.add("" + (char) ('A' + i / 26) + (char) ('A' + i % 26));
    }
    long window = batches().nowInterval() - (long) s.info().getRetentionDays() * Batches.DAY;
    int start = (int) (window + 6 - Batches.DAY);
    List<DiagnosisKey> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          batches().key(1).toBuilder()
              .setRollingStartIntervalNumber(start)
              .addAllVisitedCountries(countries)
              .build());
    }
    return out;
  }

  /**
   * R9.5: next_cursor resumes right after the last batch returned (the next pull returns the
   * following batch, not a repeat), and equals the request's cursor when nothing is returned. When
   * it fails: cursors point elsewhere than after the last batch returned.
   */
  public void R9_5_setsNextCursorAfterLastBatch() {
    ByteString before = s.head(b().tls());
    List<DiagnosisKeyBatch> published = publishBatches(2);
    Set<ByteString> wanted = new HashSet<>(ids(published));
    ByteString c = before;
    List<ByteString> seen = new ArrayList<>();
    for (int page = 0; page < 10_000 && seen.size() < 2; page++) {
      PullBatchesResponse r = s.pull(b().tls(), c, 1);
      r.getBatchesList().stream()
          .map(DiagnosisKeyBatch::getBatchId)
          .filter(wanted::contains)
          .forEach(seen::add);
      Expect.check(
          !r.getNextCursor().equals(c) || r.getBatchesCount() == 0, "R9.5: cursor did not move");
      c = r.getNextCursor();
    }
    Expect.equal(ids(published), seen, "R9.5 batches one page at a time");
    ByteString head = s.head(b().tls());
    PullBatchesResponse none = s.pull(b().tls(), head, 0);
    if (none.getBatchesCount() == 0) {
      Expect.equal(head, none.getNextCursor(), "R9.5 next_cursor when no batch is returned");
    }
  }

  /**
   * R9.5: when the node leaves out member A's own batch for member A (R9.8) and returns nothing,
   * resuming from next_cursor still returns the batch member B publishes next. When it fails: the
   * node moved the cursor past a batch it would have returned.
   */
  public void R9_5_resumingFromNextCursorSkipsNothing() {
    ByteString before = s.head(a().tls());
    publish(a().tls(), valid(a(), 1));
    PullBatchesResponse r = s.pull(a().tls(), before, 0);
    DiagnosisKeyBatch fromB = valid(b(), 1);
    publish(b().tls(), fromB);
    Expect.equal(
        List.of(fromB.getBatchId()),
        pullAll(a().tls(), r.getNextCursor(), 0, Set.of(fromB.getBatchId())),
        "R9.5 the batch published after the page, pulled from its next_cursor");
  }

  /**
   * R9.6: caught_up is false on a page after which a published batch follows, and true when the
   * caller has everything. When it fails: caught_up reports the page size or the wrong position.
   */
  public void R9_6_reportsCaughtUpExactly() {
    ByteString before = s.head(b().tls());
    List<DiagnosisKeyBatch> published = publishBatches(2);
    ByteString c = before;
    for (int page = 0; page < 10_000; page++) {
      PullBatchesResponse r = s.pull(b().tls(), c, 1);
      boolean lastOfOurs =
          r.getBatchesCount() == 1
              && r.getBatches(0).getBatchId().equals(published.get(1).getBatchId());
      if (!lastOfOurs) {
        Expect.check(!r.getCaughtUp(), "R9.6: caught_up true while a published batch follows");
      }
      c = r.getNextCursor();
      if (lastOfOurs) {
        break;
      }
    }
    ByteString head = s.head(b().tls());
    Expect.check(s.pull(b().tls(), head, 0).getCaughtUp(), "R9.6: caught_up false at the end");
  }

  /**
   * R9.7: a cursor issued before a restart is accepted after it and resumes after the batches it
   * covered. Needs a controlled node. When it fails: cursors are tied to a process, not the store.
   */
  @Needs(Need.CONTROLLED_NODE)
  public void R9_7_acceptsCursorAcrossRestart() throws Exception {
    try (ControlledNodes.ControlledNode node = s.target().controlledNodes().orElseThrow().start()) {
      ByteString cursor;
      DiagnosisKeyBatch first;
      DiagnosisKeyBatch second;
      try (Session before = new Session(node.target())) {
        PullCases cases = new PullCases(before);
        first = cases.valid(cases.a(), 1);
        cases.publish(cases.a().tls(), first);
        cursor = before.head(cases.b().tls());
        node.restart();
      }
      try (Session after = new Session(node.target())) {
        PullCases cases = new PullCases(after);
        second = cases.valid(cases.a(), 1);
        cases.publish(cases.a().tls(), second);
        Expect.equal(
            List.of(second.getBatchId()),
            cases.pullAll(
                cases.b().tls(), cursor, 0, Set.of(first.getBatchId(), second.getBatchId())),
            "R9.7 batches after a cursor issued before the restart");
      }
    }
  }
}

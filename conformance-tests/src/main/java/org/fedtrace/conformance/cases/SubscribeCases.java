package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Slow;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.SubscribeBatchesResponse;

/**
 * Spec §10: SubscribeBatches (feature {@code subscribe}). Member B subscribes; member A publishes.
 * Batches the node stores for other reasons may be interleaved and are ignored.
 */
public final class SubscribeCases extends CaseBase {
  /** How long a case waits for a message the spec says comes at once. */
  private static final Duration PROMPT = Duration.ofSeconds(10);

  public SubscribeCases(Session s) {
    super(s);
  }

  private Subscriber subscribe(ByteString cursor) {
    return Subscriber.open(s, b().tls(), cursor, 120);
  }

  /** The next message, failing when the stream ends or nothing comes within {@code wait}. */
  private static Subscriber.Item message(Subscriber sub, Duration wait, String what)
      throws InterruptedException {
    Subscriber.Item i = sub.next(wait);
    if (i == null) {
      throw new AssertionError(what + ": nothing arrived within " + wait.toSeconds() + " s");
    }
    if (i.end() != null) {
      throw new AssertionError(what + ": the stream ended with " + Expect.describe(i.end()));
    }
    return i;
  }

  /**
   * Reads messages until one carries a batch with an id in {@code wanted} (or, with {@code wanted}
   * empty, until a heartbeat), checking R10.3–R10.5 on the way.
   */
  private SubscribeBatchesResponse until(
      Subscriber sub, Set<ByteString> wanted, boolean caughtUpSeen, String what)
      throws InterruptedException {
    boolean caughtUp = caughtUpSeen;
    while (true) { // each message within PROMPT, or message() fails the case
      SubscribeBatchesResponse m = message(sub, PROMPT, what).message();
      if (caughtUp) {
        Expect.check(m.getCaughtUp(), "R10.5: caught_up false after a message that had it");
      }
      caughtUp |= m.getCaughtUp();
      Expect.check(!m.getCursor().isEmpty(), "R10.3: a message without cursor");
      if (wanted.isEmpty()
          ? !m.hasBatch()
          : m.hasBatch() && wanted.contains(m.getBatch().getBatchId())) {
        return m;
      }
    }
  }

  /**
   * R10.13: member B publishes a batch of its own country to the node, then subscribes from the
   * head it held before with {@code include_own_origin}: the batch arrives. When it fails: the node
   * leaves out the caller's own batches although it asked for them, so an origin started anew
   * cannot get its numbering back (R21.24).
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_13_servesCallersOwnBatchesWhenAsked() throws InterruptedException {
    ByteString head = s.head(b().tls());
    DiagnosisKeyBatch own = valid(b(), 2);
    publish(b().tls(), own);
    SubscribeBatchesRequest request =
        SubscribeBatchesRequest.newBuilder().setCursor(head).setIncludeOwnOrigin(true).build();
    try (Subscriber sub = Subscriber.open(s, b().tls(), request, 120)) {
      until(sub, Set.of(own.getBatchId()), false, "R10.13: member B's own batch");
    }
  }

  /**
   * R10.1: a cursor of 65 bytes ends the stream with INVALID_ARGUMENT, field path {@code cursor}.
   * When it fails: the node accepts overlong cursors.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_1_refusesOverlongCursor() throws InterruptedException {
    try (Subscriber sub = subscribe(batches().randomBytes(65))) {
      Subscriber.Item end = sub.next(Duration.ofSeconds(30));
      Expect.check(end != null && end.end() != null, "R10.1: the stream did not end");
      Expect.refused(
              Status.Code.INVALID_ARGUMENT,
              "R10.1",
              () -> {
                throw end.failure();
              })
          .hasField("cursor", "R10.1");
    }
  }

  /**
   * R10.2: the backlog (three batches published before subscribing) arrives in commit order, each
   * once, then a batch published later arrives too (the live tail). When it fails: backlog order,
   * repeats, or a missing live tail.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_2_sendsBacklogThenLiveTail() throws InterruptedException {
    ByteString before = s.head(b().tls());
    List<ByteString> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      DiagnosisKeyBatch b = valid(a(), 1);
      publish(a().tls(), b);
      expected.add(b.getBatchId());
    }
    try (Subscriber sub = subscribe(before)) {
      Set<ByteString> wanted = new HashSet<>(expected);
      List<ByteString> seen = new ArrayList<>();
      while (seen.size() < 3) {
        SubscribeBatchesResponse m = message(sub, PROMPT, "R10.2 backlog").message();
        if (m.hasBatch() && wanted.contains(m.getBatch().getBatchId())) {
          seen.add(m.getBatch().getBatchId());
        }
      }
      Expect.equal(expected, seen, "R10.2 backlog in commit order");
      DiagnosisKeyBatch live = valid(a(), 1);
      publish(a().tls(), live);
      until(sub, Set.of(live.getBatchId()), false, "R10.2 live batch");
    }
  }

  /**
   * R10.3: each batch message's cursor resumes right after it (a new subscription from it starts
   * with the next batch), and a heartbeat carries the last cursor sent (the request's when none
   * was). When it fails: cursors point elsewhere than after the message's batch.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_3_putsResumeCursorInEveryMessage() throws InterruptedException {
    ByteString before = s.head(b().tls());
    DiagnosisKeyBatch first = valid(a(), 1);
    DiagnosisKeyBatch second = valid(a(), 1);
    publish(a().tls(), first);
    publish(a().tls(), second);
    ByteString afterFirst;
    try (Subscriber sub = subscribe(before)) {
      afterFirst = until(sub, Set.of(first.getBatchId()), false, "R10.3 first batch").getCursor();
    }
    try (Subscriber sub = subscribe(afterFirst)) {
      SubscribeBatchesResponse m =
          until(sub, Set.of(first.getBatchId(), second.getBatchId()), false, "R10.3 resume");
      Expect.equal(
          second.getBatchId(), m.getBatch().getBatchId(), "R10.3 first batch after the cursor");
      heartbeatCarries(sub, m.getCursor(), "R10.3 heartbeat cursor after a batch message");
    }
    ByteString head = s.head(b().tls());
    try (Subscriber sub = subscribe(head)) {
      heartbeatCarries(sub, head, "R10.3 heartbeat cursor when no batch was sent");
    }
  }

  /** Reads up to the next heartbeat and checks it carries the last cursor of the stream. */
  private static void heartbeatCarries(Subscriber sub, ByteString last, String what)
      throws InterruptedException {
    ByteString expected = last;
    while (true) { // each message within PROMPT, or message() fails the case
      SubscribeBatchesResponse next = message(sub, PROMPT, what).message();
      if (!next.hasBatch()) {
        Expect.equal(expected, next.getCursor(), what);
        return;
      }
      expected = next.getCursor();
    }
  }

  /**
   * R10.4: subscribing at the head, the first message is a heartbeat with caught_up true, sent at
   * once; after a backlog, the first message after it has caught_up true. When it fails: the node
   * waits for a heartbeat period, or never sets caught_up.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_4_signalsCaughtUpAfterBacklog() throws InterruptedException {
    try (Subscriber sub = subscribe(s.head(b().tls()))) {
      SubscribeBatchesResponse first = message(sub, PROMPT, "R10.4 first message").message();
      Expect.check(!first.hasBatch() || first.getCaughtUp(), "R10.4: backlog at the head?");
      Expect.check(first.getCaughtUp(), "R10.4: the first message at the head is not caught_up");
    }
    ByteString before = s.head(b().tls());
    DiagnosisKeyBatch b = valid(a(), 1);
    publish(a().tls(), b);
    try (Subscriber sub = subscribe(before)) {
      SubscribeBatchesResponse m = until(sub, Set.of(b.getBatchId()), false, "R10.4 backlog");
      if (!m.getCaughtUp()) {
        SubscribeBatchesResponse next = message(sub, PROMPT, "R10.4 after the backlog").message();
        Expect.check(
            next.getCaughtUp(), "R10.4: the first message after the backlog is not caught_up");
      }
    }
  }

  /**
   * R10.5: once a message had caught_up true, every later one has it, live batches included. When
   * it fails: caught_up is reset by new batches.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_5_keepsCaughtUpTrue() throws InterruptedException {
    try (Subscriber sub = subscribe(s.head(b().tls()))) {
      Expect.check(
          message(sub, PROMPT, "R10.5 first").message().getCaughtUp(), "R10.4: not caught up");
      Set<ByteString> wanted = new HashSet<>();
      for (int i = 0; i < 2; i++) {
        DiagnosisKeyBatch b = valid(a(), 1);
        publish(a().tls(), b);
        wanted.add(b.getBatchId());
      }
      while (!wanted.isEmpty()) {
        SubscribeBatchesResponse m = until(sub, wanted, true, "R10.5 live batches");
        wanted.remove(m.getBatch().getBatchId());
      }
    }
  }

  /**
   * R10.6: a batch committed after the stream caught up arrives within 10 s of the OK to its
   * PublishBatch. When it fails: the node polls its store too slowly for new batches.
   */
  @Needs(Need.SUBSCRIBE)
  public void R10_6_sendsLiveBatchWithin10Seconds() throws InterruptedException {
    try (Subscriber sub = subscribe(s.head(b().tls()))) {
      message(sub, PROMPT, "R10.6 first message");
      DiagnosisKeyBatch b = valid(a(), 1);
      publish(a().tls(), b);
      long committed = System.nanoTime();
      while (true) { // until the batch, or the 10 s are up
        Subscriber.Item item =
            sub.next(Duration.ofSeconds(10).minusNanos(System.nanoTime() - committed));
        if (item == null) {
          throw new AssertionError("R10.6: the live batch did not arrive within 10 s");
        }
        Expect.check(item.end() == null, "R10.6: the stream ended: " + item.end());
        if (item.message().hasBatch()
            && item.message().getBatch().getBatchId().equals(b.getBatchId())) {
          return;
        }
      }
    }
  }

  /**
   * R10.7: an idle stream gets a heartbeat (a message without batch) at the latest 30 s after the
   * last message. Waits up to 35 s. When it fails: no heartbeats, or a period above 30 s.
   */
  @Slow
  @Needs(Need.SUBSCRIBE)
  public void R10_7_sendsHeartbeatWithin30Seconds() throws InterruptedException {
    try (Subscriber sub = subscribe(s.head(b().tls()))) {
      message(sub, PROMPT, "R10.7 first message");
      for (int i = 0; i < 1000; i++) {
        Subscriber.Item item = sub.next(Duration.ofSeconds(35));
        if (item == null) {
          throw new AssertionError("R10.7: nothing was sent on an idle stream for 35 s");
        }
        Expect.check(item.end() == null, "R10.7: the stream ended: " + item.end());
        if (!item.message().hasBatch()) {
          return;
        }
      }
    }
  }
}

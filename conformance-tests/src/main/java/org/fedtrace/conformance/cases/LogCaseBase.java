package org.fedtrace.conformance.cases;

import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PublishBatchResponse;

/**
 * What the cases of the transparency log share: the suite's {@link LogReader}, a log of at least a
 * given size, the observation around one publish, and controlled nodes.
 */
abstract class LogCaseBase extends CaseBase {
  protected final LogReader log;

  LogCaseBase(Session s) {
    super(s);
    this.log = new LogReader(s);
  }

  /**
   * What the suite saw around one publish of member A: checkpoints before and after it, and one
   * more after that with no append in between.
   */
  record AroundPublish(
      Checkpoint before,
      DiagnosisKeyBatch batch,
      PublishBatchResponse response,
      Checkpoint after,
      Checkpoint again) {}

  AroundPublish aroundPublish() {
    return s.shared(
        "tlog-around-publish",
        () -> {
          Checkpoint before = atLeast(1);
          DiagnosisKeyBatch b = valid(a(), 3);
          PublishBatchResponse r = publish(a().tls(), b);
          Checkpoint after = log.checkpoint();
          Checkpoint again = log.checkpoint();
          return new AroundPublish(before, b, r, after, again);
        });
  }

  /** A checkpoint of at least {@code min} entries: publishes batches of A until there is one. */
  Checkpoint atLeast(long min) {
    Checkpoint c = log.checkpoint();
    for (long i = 0; c.getTreeSize() < min && i < min; i++) {
      publish(a().tls(), valid(a(), 1));
      c = log.checkpoint();
    }
    Expect.check(
        c.getTreeSize() >= min,
        "R13.1: " + min + " publishes did not grow the log to " + min + " entries");
    return c;
  }

  static boolean about(LogEntry e, byte[] subject) {
    return LogReader.same(e.getSubjectSha256(), subject);
  }

  ControlledNodes.ControlledNode controlled() throws Exception {
    return s.target().controlledNodes().orElseThrow().start();
  }
}

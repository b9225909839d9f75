package org.fedtrace.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.testing.TestLogs;
import org.junit.jupiter.api.Test;

/**
 * Decoding refuses everything but the exact encoding of a valid entry (the vectors cover encoding).
 */
class LogEntriesTest {
  private static final LogEntry SENT =
      LogEntry.newBuilder()
          .setEventType(EventType.EVENT_TYPE_BATCH_SENT)
          .setTimeUnixSeconds(1_795_654_800L)
          .setSubjectSha256(ByteString.copyFrom(TestLogs.batch("b")))
          .setOrigin("DE")
          .setPeer("FR/op-fr")
          .setKeyCount(100)
          .build();

  @Test
  void everyEventFactoryMakesAShapeOfTheSpecsTable() {
    Digest b = Digest.of(TestLogs.batch("b"));
    OperatorIdentity fr = new OperatorIdentity("FR", "op-fr");
    List<LogEvent> events =
        List.of(
            LogEvent.created(b, "DE", 100),
            LogEvent.received(b, "FR", fr, 100),
            LogEvent.delivered(b, "DE", fr, 100, true),
            LogEvent.delivered(b, "IT", fr, 100, false),
            LogEvent.refused(b, "", fr, 100, "R8.19"),
            LogEvent.purged(b, "DE", 3),
            LogEvent.erased(b, "FR", 100),
            LogEvent.uploadAuthorized(b, "DE"));
    List<Integer> types = new ArrayList<>();
    for (LogEvent e : events) {
      LogEntry entry =
          LogEntry.newBuilder()
              .setEventType(e.type())
              .setSubjectSha256(ByteString.copyFrom(e.subject().bytes()))
              .setOrigin(e.origin())
              .setPeer(e.peer() == null ? "" : e.peer().toString())
              .setKeyCount((int) e.keyCount())
              .setReason(e.reason())
              .build();
      LogEntries.checkShape(entry);
      types.add(e.type().getNumber());
    }
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), types);
    assertEquals(0, LogEvent.uploadAuthorized(b, "DE").keyCount());
  }

  @Test
  void aStatisticsReleaseNamesAPositiveDecimalEpsilonAndNoKeys() {
    LogEntry.Builder release =
        LogEntry.newBuilder()
            .setEventType(EventType.EVENT_TYPE_STATISTICS_RELEASED)
            .setTimeUnixSeconds(1_795_654_800L)
            .setSubjectSha256(ByteString.copyFrom(TestLogs.batch("r")))
            .setOrigin("DE");
    for (String eps : List.of("1", "0.2", "999999", "0.000000001", "12.5")) {
      LogEntry e = release.setReason(eps).build();
      LogEntries.checkShape(e);
      assertEquals(e, LogEntries.decode(LogEntries.encode(e), 0));
    }
    for (String eps : List.of("", "0", "0.0", "1.50", "01", "1/5", "-1", "1e3", "1000000")) {
      LogEntry e = release.setReason(eps).build();
      assertEquals(
          "a statistics release must give its positive epsilon as a decimal such as 0.25",
          assertThrows(IllegalArgumentException.class, () -> LogEntries.checkShape(e)).getMessage(),
          eps);
    }
    LogEntry keys = release.setReason("1").setKeyCount(3).build();
    assertEquals(
        "a statistics release concerns no keys",
        assertThrows(IllegalArgumentException.class, () -> LogEntries.checkShape(keys))
            .getMessage());
    LogEntry peer = release.setKeyCount(0).setPeer("FR/op-fr").build();
    assertThrows(IllegalArgumentException.class, () -> LogEntries.checkShape(peer));
    LogEvent e = LogEvent.statisticsReleased(Digest.of(TestLogs.batch("r")), "DE", "0.2");
    assertEquals(EventType.EVENT_TYPE_STATISTICS_RELEASED, e.type());
    assertEquals(11, e.type().getNumber());
    assertEquals("0.2", e.reason());
  }

  @Test
  void theLeafIsDomainSeparatedAndItsLengthFollowsTheStrings() {
    byte[] leaf = LogEntries.encode(SENT);
    assertEquals(71 + "FR/op-fr".length(), leaf.length);
    assertEquals(
        "fedtrace.v1.log-entry\0",
        new String(leaf, 0, 22, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(SENT.toBuilder().setLeafIndex(9).build(), LogEntries.decode(leaf, 9));
  }

  @Test
  void decodingRefusesTrailingBytesTruncationAndOtherDomains() {
    byte[] leaf = LogEntries.encode(SENT);
    assertEquals(
        "the log-entry encoding has trailing bytes",
        assertThrows(
                IllegalArgumentException.class,
                () -> LogEntries.decode(Arrays.copyOf(leaf, leaf.length + 1), 0))
            .getMessage());
    assertEquals(
        "the log-entry encoding is truncated",
        assertThrows(
                IllegalArgumentException.class,
                () -> LogEntries.decode(Arrays.copyOf(leaf, leaf.length - 3), 0))
            .getMessage());
    byte[] other = leaf.clone();
    other[12] = '-';
    assertEquals(
        "not a log-entry encoding",
        assertThrows(IllegalArgumentException.class, () -> LogEntries.decode(other, 0))
            .getMessage());
    byte[] control = leaf.clone();
    control[66] = 0x0a;
    assertEquals(
        "the peer is not printable ASCII",
        assertThrows(IllegalArgumentException.class, () -> LogEntries.decode(control, 0))
            .getMessage());
  }
}

package org.fedtrace.tlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import org.fedtrace.node.ExchangeLog;
import org.fedtrace.proto.v1.EventType;
import org.fedtrace.proto.v1.LogEntry;
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
  void everyNodeEventHasTheEventTypeOfTheSameName() {
    for (ExchangeLog.Event e : ExchangeLog.Event.values()) {
      assertEquals("EVENT_TYPE_" + e.name(), LogEntries.eventType(e).name());
    }
    assertEquals(1, LogEntries.eventType(ExchangeLog.Event.BATCH_CREATED).getNumber());
    assertEquals(8, LogEntries.eventType(ExchangeLog.Event.UPLOAD_AUTHORIZED).getNumber());
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

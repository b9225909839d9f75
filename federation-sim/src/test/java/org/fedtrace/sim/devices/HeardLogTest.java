package org.fedtrace.sim.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact log splits each contact into the rows a phone records, and forgets old days. */
class HeardLogTest {
  private static final int ENIN = 1000 * 144;

  /**
   * Day {@code day} of three people: person 1 was heard by 0 from 09:05 for 17 minutes (rows in
   * 09:00-09:10 and 09:10-09:20: 5 + 10 minutes, then 2 in 09:20-09:30) at 61 dB, and by 2 at 23:55
   * for 10 minutes (5 + 5, the second past midnight) at 200 dB; nobody heard 0 or 2.
   */
  private static HeardLog.Day day(int day) {
    return new HeardLog.Day(
        day,
        ENIN + 144 * day,
        5,
        new int[] {0, 0, 2, 2},
        new int[] {0, 2},
        new short[] {9 * 60 + 5, 23 * 60 + 55},
        new byte[] {17, 10},
        new byte[] {61, (byte) 200});
  }

  private static List<String> rows(HeardLog log, int heard, int day) {
    List<String> out = new ArrayList<>();
    log.forEach(heard, day, (i, o, m, db) -> out.add((i - ENIN) + "/" + o + "/" + m + "/" + db));
    return out;
  }

  @Test
  void anEntryIsOneRowPerIntervalWithTheMinutesHeardInIt() {
    HeardLog log = new HeardLog(3);
    log.add(day(0));
    assertEquals(
        List.of("54/0/5/61", "55/0/10/61", "56/0/2/61", "143/2/5/200", "144/2/5/200"),
        rows(log, 1, 0));
    assertEquals(List.of(), rows(log, 0, 0));
    assertEquals(List.of(), rows(log, 1, 1), "an unknown day");
    assertEquals(5, log.size());
  }

  @Test
  void retentionHidesOlderRowsAndReleasesDaysWithNoneLeft() {
    HeardLog log = new HeardLog(3);
    log.add(day(0));
    log.add(day(1));
    log.dropBefore(ENIN + 144);
    assertEquals(List.of("144/2/5/200"), rows(log, 1, 0), "the row past midnight stays");
    assertEquals(10, log.size(), "day 0 is kept while one of its rows is");
    log.dropBefore(ENIN + 145);
    assertEquals(List.of(), rows(log, 1, 0));
    assertEquals(5, log.size(), "day 0 released");
    assertEquals(5, rows(log, 1, 1).size());
    log.dropBefore(ENIN); // an earlier cut-off brings nothing back
    assertEquals(List.of(), rows(log, 1, 0));
  }

  @Test
  void daysComeInOrderWithAStartPerPerson() {
    HeardLog log = new HeardLog(3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> log.add(day(1)));
    assertEquals("days must be added in order: expected 0", e.getMessage());
    HeardLog other = new HeardLog(4);
    e = assertThrows(IllegalArgumentException.class, () -> other.add(day(0)));
    assertEquals("a day needs 5 group starts", e.getMessage());
  }
}

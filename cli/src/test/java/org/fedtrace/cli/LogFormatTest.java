package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.text.SimpleDateFormat;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Every line the launcher's processes log (the node's above all) starts with its time, to the
 * millisecond and with its UTC offset, so that an operator can line events up with peers' logs.
 */
class LogFormatTest {
  @Test
  void logLinesCarryAnIsoTimestamp() throws Exception {
    Properties p = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/simplelogger.properties")) {
      assertNotNull(in, "simplelogger.properties is on the launcher's class path");
      p.load(in);
    }
    assertEquals("true", p.getProperty("org.slf4j.simpleLogger.showDateTime"));
    String stamp =
        new SimpleDateFormat(p.getProperty("org.slf4j.simpleLogger.dateTimeFormat"))
            .format(new Date(1_796_000_000_123L));
    assertEquals(1_796_000_000_123L, OffsetDateTime.parse(stamp).toInstant().toEpochMilli());
  }
}

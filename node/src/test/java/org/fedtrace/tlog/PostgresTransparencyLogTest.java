package org.fedtrace.tlog;

import java.nio.file.Path;
import org.fedtrace.testing.TestLogs;

/** Every test of {@link TransparencyLogTest}, with the logs' stores on PostgreSQL. */
class PostgresTransparencyLogTest extends TransparencyLogTest {
  @Override
  TestLogs newLogs(Path dir) {
    return TestLogs.onPostgres(dir, "DE", "FR");
  }
}

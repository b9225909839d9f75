package org.fedtrace.store.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A COMMIT that fails on a full disk is reported as such: SQLite has already rolled the transaction
 * back, so the rollback and the return to auto-commit fail too ("no transaction is active"), and
 * those later errors must not replace the cause the operator needs to see.
 */
class FailedCommitTest {
  /** A connection whose COMMIT fails as SQLite's does on a full disk. */
  private static Connection fullDisk() {
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "commit":
                  throw new SQLException("[SQLITE_FULL] database or disk is full");
                case "rollback":
                  throw new SQLException("cannot rollback - no transaction is active");
                case "setAutoCommit":
                  if (Boolean.TRUE.equals(args[0])) {
                    throw new SQLException("cannot commit - no transaction is active");
                  }
                  return null;
                default:
                  throw new UnsupportedOperationException(method.getName());
              }
            });
  }

  @Test
  void theFullDiskIsTheErrorAndTheLaterOnesAreSuppressed() {
    SQLException e =
        assertThrows(SQLException.class, () -> SqlStore.inTransaction(fullDisk(), () -> 1));
    assertEquals("[SQLITE_FULL] database or disk is full", e.getMessage());
    assertEquals(
        java.util.List.of(
            "cannot rollback - no transaction is active",
            "cannot commit - no transaction is active"),
        Arrays.stream(e.getSuppressed()).map(Throwable::getMessage).toList());
  }
}

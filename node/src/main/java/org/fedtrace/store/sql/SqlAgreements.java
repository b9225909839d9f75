package org.fedtrace.store.sql;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.fedtrace.store.Agreements;
import org.fedtrace.store.StoreException;

/** {@link Agreements} in the {@code agreement_seen} table. */
final class SqlAgreements implements Agreements {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS agreement_seen"
              + " (version INTEGER PRIMARY KEY, sha256 BLOB NOT NULL)");

  static final List<String> DDL_V6 =
      List.of("CREATE TABLE sunset_reached (reached_unix_seconds INTEGER NOT NULL)");

  private final Sql sql;

  SqlAgreements(Sql sql) {
    this.sql = sql;
  }

  @Override
  public void record(long version, byte[] sha256) {
    long highest = sql.number("SELECT COALESCE(MAX(version), 0) FROM agreement_seen");
    if (version < highest) {
      throw new StoreException(
          "agreement version "
              + version
              + " is older than version "
              + highest
              + " this node ran before; refusing to roll back",
          null);
    }
    Optional<byte[]> seen =
        sql.one(
            "SELECT sha256 FROM agreement_seen WHERE version = ?", rs -> rs.getBytes(1), version);
    if (seen.isPresent()) {
      if (!Arrays.equals(seen.get(), sha256)) {
        throw new StoreException(
            "agreement version "
                + version
                + " differs from the version "
                + version
                + " this node ran before",
            null);
      }
      return;
    }
    sql.update("INSERT INTO agreement_seen (version, sha256) VALUES (?, ?)", version, sha256);
  }

  @Override
  public void recordSunset(long unixSeconds) {
    if (sunsetReached().isEmpty()) {
      sql.update("INSERT INTO sunset_reached (reached_unix_seconds) VALUES (?)", unixSeconds);
    }
  }

  @Override
  public OptionalLong sunsetReached() {
    return sql.one(
            "SELECT reached_unix_seconds FROM sunset_reached ORDER BY reached_unix_seconds",
            rs -> rs.getLong(1))
        .map(OptionalLong::of)
        .orElse(OptionalLong.empty());
  }
}

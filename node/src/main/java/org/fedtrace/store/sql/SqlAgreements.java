package org.fedtrace.store.sql;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.fedtrace.store.Agreements;
import org.fedtrace.store.StoreException;

/** {@link Agreements} in the {@code agreement_seen} table. */
final class SqlAgreements implements Agreements {
  static final List<String> DDL =
      List.of(
          "CREATE TABLE IF NOT EXISTS agreement_seen"
              + " (version INTEGER PRIMARY KEY, sha256 BLOB NOT NULL)");

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
}

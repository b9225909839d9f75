package org.fedtrace.store.sql;

import java.nio.file.Path;
import org.fedtrace.testing.TestPostgres;

/** The store's engines, for tests parameterized over them. */
enum Engine {
  SQLITE {
    @Override
    SqlStore open(Path dir) {
      return SqliteStore.open(dir);
    }
  },
  POSTGRESQL {
    @Override
    SqlStore open(Path dir) {
      return PostgresStore.open(TestPostgres.options(TestPostgres.newDatabase()));
    }
  };

  /** A new, empty store ({@code dir} is a folder the SQLite store may use). */
  abstract SqlStore open(Path dir);
}

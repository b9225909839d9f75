package org.fedtrace.store.sql;

import org.fedtrace.testing.TestPostgres;
import org.junit.jupiter.api.BeforeEach;

/** The store's contract ({@link StoreSuite}) on PostgreSQL, and what only PostgreSQL does. */
class PostgresStoreTest extends StoreSuite {
  private String url;

  @BeforeEach
  void newDatabase() {
    url = TestPostgres.newDatabase();
  }

  @Override
  SqlStore open() {
    return PostgresStore.open(TestPostgres.options(url));
  }
}

/**
 * The SQLite engine of the store: {@link org.fedtrace.store.sqlite.SqliteStore} (WAL, {@code
 * synchronous=FULL}, one writer with group commit, a pool of readers), one class per group of
 * tables, and the versioned schema. The only code of the node that knows SQL or JDBC.
 */
package org.fedtrace.store.sqlite;

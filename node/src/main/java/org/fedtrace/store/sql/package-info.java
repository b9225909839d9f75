/**
 * The store's two engines on one JDBC implementation: {@link org.fedtrace.store.sql.SqliteStore}
 * (WAL, {@code synchronous=FULL}; the embedded default) and {@link
 * org.fedtrace.store.sql.PostgresStore} (a pool, shared by the replicas of one node), both {@link
 * org.fedtrace.store.sql.SqlStore}s with group commit and serial writes; one class per group of
 * tables, queries written once for both engines; the versioned schema ({@code Schema}) and what the
 * engines' SQL differs in ({@code Dialect}). The only code of the node that knows SQL or JDBC.
 */
package org.fedtrace.store.sql;

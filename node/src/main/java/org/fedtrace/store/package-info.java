/**
 * The node's durable store, as a port: {@link org.fedtrace.store.Store} runs work in transactions
 * and hands it a typed {@link org.fedtrace.store.Transaction} (batches, cursors, uploads, notices,
 * operator tables, the transparency log's storage). No caller sees SQL or a database connection; an
 * engine plugs in behind these interfaces ({@code org.fedtrace.store.sql} today).
 */
package org.fedtrace.store;

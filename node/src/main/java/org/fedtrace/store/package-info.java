/** The node's durable store: SQLite in WAL mode through JDBC, schema versioned. */
package org.fedtrace.store;

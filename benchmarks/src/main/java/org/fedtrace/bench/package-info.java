/**
 * fedtrace's benchmarks: JMH benchmarks of RPI derivation and matching, and harnesses with a {@code
 * main} that drive real nodes over mutual TLS (node ingest and pull, operator-assisted matching)
 * and print their figures per core (benchmarks/README.md).
 */
package org.fedtrace.bench;

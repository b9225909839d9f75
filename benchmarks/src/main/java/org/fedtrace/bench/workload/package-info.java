/**
 * Reproducible synthetic data for the matching benchmarks: diagnosis keys and an index of
 * observations that holds a known number of matches of them.
 */
package org.fedtrace.bench.workload;

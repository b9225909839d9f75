/**
 * The run's measures: accuracy and latency of notifications against ground truth, and the
 * centralized tracking baseline on the same population.
 */
package org.fedtrace.sim.metrics;

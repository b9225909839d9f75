/**
 * The node's Prometheus metrics: counts and latencies, labelled by peer and outcome, never a key.
 */
package org.fedtrace.node.metrics;

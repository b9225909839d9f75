/**
 * The node's differentially private statistics (spec transparency.md §16): the exact daily tallies
 * it keeps of its uploads and of the batches its log records, the job that releases each day once
 * with noise and records the release's ε in the transparency log (the budget ledger), and the
 * public form of the releases.
 */
package org.fedtrace.node.stats;

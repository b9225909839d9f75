/**
 * What the benchmarks measure fedtrace's hot paths against: naive and library baselines of RPI
 * derivation and matching, and the AES-only limit of RPI derivation.
 *
 * <p>The node never uses these classes. They create their own JCE and Bouncy Castle primitives on
 * purpose: a baseline is the code that the node's crypto package stands in for.
 */
package org.fedtrace.bench.baseline;

/**
 * The federation simulator: a synthetic population through an epidemic, real nodes exchanging the
 * diagnosed people's keys, phones notified, and the run's outcome measured against ground truth and
 * a centralized baseline (federation-sim/README.md).
 */
package org.fedtrace.sim;

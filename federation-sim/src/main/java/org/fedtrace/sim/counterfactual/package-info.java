/**
 * Counterfactuals: the same seed and population run again, in step with the fedtrace run, under
 * other tracing schemes (none, manual, apps without federation, central tracking, cameras), so that
 * each scheme's infections can be set beside the others'.
 */
package org.fedtrace.sim.counterfactual;

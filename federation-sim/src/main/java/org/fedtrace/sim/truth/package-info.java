/** Ground truth: every contact that happened, against which notifications are measured. */
package org.fedtrace.sim.truth;

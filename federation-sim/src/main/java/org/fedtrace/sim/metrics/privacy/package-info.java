/** What each party learns in a run: the privacy measures of the report. */
package org.fedtrace.sim.metrics.privacy;

/** The run's report: Markdown, JSON and charts, with the definition of every figure. */
package org.fedtrace.sim.report;

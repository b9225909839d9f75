/**
 * The report's PNG charts, drawn with JFreeChart without a display: per-day series, leakage, and
 * the efficacy charts (every scheme's epidemic curve; infections averted against leakage). Each
 * chart is built as a {@link org.jfree.chart.JFreeChart} by a method of its own, so that tests can
 * inspect its dataset, and saved by {@link org.fedtrace.sim.report.charts.Charts}.
 */
package org.fedtrace.sim.report.charts;

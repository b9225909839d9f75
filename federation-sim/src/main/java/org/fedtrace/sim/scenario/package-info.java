/** Scenarios: the YAML file of a run, its defaults, the command-line overrides. */
package org.fedtrace.sim.scenario;

/** The simulated phones: their temporary exposure keys and what they hear of each other. */
package org.fedtrace.sim.devices;

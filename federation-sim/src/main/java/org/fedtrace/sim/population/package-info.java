/** The synthetic population: people, where they go each day, and whom they meet. */
package org.fedtrace.sim.population;

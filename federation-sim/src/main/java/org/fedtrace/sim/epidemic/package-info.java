/** The epidemic: who infects whom, who falls ill and is diagnosed, day by day. */
package org.fedtrace.sim.epidemic;

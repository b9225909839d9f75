/**
 * What phones do with the keys that reach them: match them against what they heard, with fedtrace's
 * engine or a reference matcher.
 */
package org.fedtrace.sim.matching;

/**
 * The federation of a run: real nodes in this JVM ({@code NodeFederation}) or one process each
 * ({@code ProcessFederation}, on a simulated clock shared through a file), set up with their PKI,
 * agreement and configuration, and watched through their stores.
 */
package org.fedtrace.sim.federation;

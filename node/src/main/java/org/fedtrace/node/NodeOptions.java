package org.fedtrace.node;

import java.security.SecureRandom;
import java.util.Random;

/**
 * How a node is built beyond its configuration.
 *
 * @param random source of batch ids and padding keys: a {@link SecureRandom} in production (R8.26);
 *     the simulator passes a seeded generator so its runs repeat exactly
 * @param seam the parts replaced while the node is assembled: {@link NodeSeam#NONE} but in the
 *     conformance suite's fault-detection test
 * @param backgroundWork whether the node batches (periodically and right after an upload), purges
 *     and checks the sunset on its own schedule; the simulator turns it off and drives {@link
 *     Node#publishDue} and {@link Node#housekeeping} on simulated time
 */
public record NodeOptions(Random random, NodeSeam seam, boolean backgroundWork) {
  /** Production options: a secure random source, no seam, background work on. */
  public static NodeOptions defaults() {
    return new NodeOptions(new SecureRandom(), NodeSeam.NONE, true);
  }
}

package org.fedtrace.node;

import java.time.Clock;
import org.fedtrace.node.config.NodeConfig;

/** The origin of a configured node (spec §26.2), for tools that run beside it. */
public final class NodeOrigin {
  private NodeOrigin() {}

  /**
   * The origin of the node {@code config} describes: its country, or its member origin when its
   * country has several members. Reads the federation authority, the agreement and the node's
   * credentials, never its batch-signing key.
   *
   * @throws NodeStartException naming the file or setting at fault
   */
  public static String of(NodeConfig config, Clock clock) throws NodeStartException {
    return NodeFiles.origin(config, clock);
  }
}

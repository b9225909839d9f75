package org.fedtrace.conformance;

import java.util.Optional;
import org.fedtrace.conformance.kit.Kit;

/**
 * The node under test, as the catalogue sees it: an address, the test kit the node was configured
 * to accept, and what else the runner can offer. A remote runner offers only the address and the
 * kit; the in-process runner also starts extra nodes of the same implementation whose clock and
 * lifecycle it controls. Cases that need more than a target offers are skipped, never failed.
 */
public interface Target {
  /** Host name or address of the node's gRPC listener. */
  String host();

  /** Port of the node's gRPC listener. */
  int port();

  /** The test kit. */
  Kit kit();

  /** Fresh nodes under the suite's control (clock, restart, drain); empty for a remote node. */
  default Optional<ControlledNodes> controlledNodes() {
    return Optional.empty();
  }

  /** A per-identity rate limit the node's operator declares it enforces; empty if none. */
  default Optional<Double> declaredRequestsPerSecond() {
    return Optional.empty();
  }

  /** Where the node publishes its key export files for phones (spec §24.6); empty if unknown. */
  default Optional<ExportSite> exports() {
    return Optional.empty();
  }

  /**
   * The port of the node's public transparency endpoint (spec/transparency.md §14) on {@link
   * #host}, when its operator gave it; empty if none.
   */
  default Optional<Integer> publicPort() {
    return Optional.empty();
  }

  /** Host and port, for reports. */
  default String address() {
    return host() + ":" + port();
  }
}

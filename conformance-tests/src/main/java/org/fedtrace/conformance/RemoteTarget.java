package org.fedtrace.conformance;

import java.util.Optional;
import org.fedtrace.conformance.kit.Kit;

/**
 * A node reached over the network, as {@code fedtrace conformance --target HOST:PORT} names it:
 * nothing but an address, the kit it accepts, and what its operator declares.
 *
 * @param declaredRequestsPerSecond the per-identity rate limit the operator says the node enforces
 * @param exports where the operator says the node publishes its key export files
 * @param publicPort the port of the node's public transparency endpoint, if it serves one
 */
public record RemoteTarget(
    String host,
    int port,
    Kit kit,
    Optional<Double> declaredRequestsPerSecond,
    Optional<Integer> publicPort,
    Optional<ExportSite> exports)
    implements Target {
  /**
   * Parses {@code HOST:PORT} (an IPv6 address in brackets).
   *
   * @throws IllegalArgumentException if {@code address} is not of that form
   */
  public static RemoteTarget of(
      String address, Kit kit, Optional<Double> rate, Optional<Integer> publicPort) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0 || colon == address.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + address + "'");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected a port number in '" + address + "'", e);
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port " + port + " is not in 1..65535");
    }
    if (publicPort.isPresent() && (publicPort.get() < 1 || publicPort.get() > 65_535)) {
      throw new IllegalArgumentException("public port " + publicPort.get() + " is not in 1..65535");
    }
    return new RemoteTarget(host, port, kit, rate, publicPort, Optional.empty());
  }

  /** This target, whose key export files are at {@code site}. */
  public RemoteTarget withExports(ExportSite site) {
    return new RemoteTarget(
        host, port, kit, declaredRequestsPerSecond, publicPort, Optional.of(site));
  }
}

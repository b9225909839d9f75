package org.fedtrace.node.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a peer's node, or one replica of it, listens: a host name or IP literal and a port.
 *
 * @param host a DNS name or an IP literal (IPv6 without brackets)
 */
public record PeerAddress(String host, int port) {
  /** {@code host:port}, an IPv6 literal in brackets: how the configuration file spells it. */
  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * Checks the addresses of the peer at {@code where} ({@code peers[i]}): at least one, each with a
   * port in range, none twice (host names compare without case).
   *
   * @throws InvalidConfigException naming the setting and the address at fault
   */
  static void check(String where, List<PeerAddress> addresses) throws InvalidConfigException {
    if (addresses.isEmpty()) {
      throw new InvalidConfigException(where + ".addresses: expected at least one host:port");
    }
    String name = where + (addresses.size() == 1 ? ".address" : ".addresses");
    Set<String> seen = new HashSet<>();
    for (PeerAddress a : addresses) {
      if (a.host().isBlank() || a.port() < 1 || a.port() > 65_535) {
        throw new InvalidConfigException(
            name + ": expected host:port with a port in 1..65535, got '" + a + "'");
      }
      if (!seen.add(a.toString().toLowerCase(Locale.ROOT))) {
        throw new InvalidConfigException(name + ": " + a + " is listed twice");
      }
    }
  }
}

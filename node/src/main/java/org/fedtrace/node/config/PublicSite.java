package org.fedtrace.node.config;

/**
 * The public read-only transparency endpoint and page (the {@code public} section, spec
 * transparency.md §14): HTTPS with the node's TLS certificate, no client certificate, on a port of
 * its own; off unless {@code port} is set.
 *
 * @param host the address the endpoint binds
 * @param port its port; 0 (the default) disables it
 * @param requestsPerSecondPerClient requests per second and client address before 429
 */
public record PublicSite(String host, int port, double requestsPerSecondPerClient) {
  /** Whether the endpoint is served. */
  public boolean enabled() {
    return port > 0;
  }

  /** The checks of the section. */
  void check() throws InvalidConfigException {
    if (port < 0 || port > 65_535) {
      throw new InvalidConfigException("public.port: expected 0..65535, got " + port);
    }
    if (!(requestsPerSecondPerClient > 0)) {
      throw new InvalidConfigException(
          "public.requestsPerSecondPerClient: expected a positive number, got "
              + requestsPerSecondPerClient);
    }
  }
}

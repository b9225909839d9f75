package org.fedtrace.node.config;

import java.nio.file.Path;

/**
 * The public read-only transparency endpoint and page (the {@code public} section, spec
 * transparency.md §14): HTTPS with the node's TLS certificate, no client certificate, on a port of
 * its own; off unless {@code port} is set.
 *
 * @param host the address the endpoint binds
 * @param port its port; 0 (the default) disables it
 * @param requestsPerSecondPerClient requests per second and client address before 429
 * @param certificate a PEM certificate chain browsers trust (a WebPKI one), or null for the node's
 *     federation TLS certificate, which only visitors who trust the federation authority accept
 * @param key the private key of {@code certificate} (PKCS#8 PEM), or null with it
 */
public record PublicSite(
    String host, int port, double requestsPerSecondPerClient, Path certificate, Path key) {
  /** Whether the endpoint is served. */
  public boolean enabled() {
    return port > 0;
  }

  /** The checks of the section. */
  void check() throws InvalidConfigException {
    if (port < 0 || port > 65_535) {
      throw new InvalidConfigException("public.port: expected 0..65535, got " + port);
    }
    if ((certificate == null) != (key == null)) {
      throw new InvalidConfigException(
          "public.certificate: set together with public.key, or neither (the node's tls.crt)");
    }
    if (!(requestsPerSecondPerClient > 0)) {
      throw new InvalidConfigException(
          "public.requestsPerSecondPerClient: expected a positive number, got "
              + requestsPerSecondPerClient);
    }
  }
}

package org.fedtrace.node.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code public} section of node.yaml (spec transparency.md §14): off by default, checked. */
class PublicSiteConfigTest {
  @TempDir Path dir;

  private NodeConfig load(String yaml) throws Exception {
    Path f = dir.resolve("node.yaml");
    Files.writeString(f, yaml);
    return NodeConfig.load(f);
  }

  private String refuse(String yaml) {
    return assertThrows(InvalidConfigException.class, () -> load(yaml)).getMessage();
  }

  @Test
  void isOffByDefaultWithTheNodesCertificate() throws Exception {
    PublicSite p = load("").publicSite();
    assertFalse(p.enabled());
    assertEquals(new PublicSite("0.0.0.0", 0, 20, null, null), p);
    assertNull(p.certificate());
  }

  @Test
  void readsEverySettingAndResolvesPathsBesideTheFile() throws Exception {
    PublicSite p =
        load("public:\n  host: 127.0.0.1\n  port: 8443\n  requestsPerSecondPerClient: 5\n"
                + "  certificate: web/chain.pem\n  key: web/key.pem\n")
            .publicSite();
    assertEquals(
        new PublicSite(
            "127.0.0.1", 8443, 5, dir.resolve("web/chain.pem"), dir.resolve("web/key.pem")),
        p);
  }

  @Test
  void refusesValuesOutOfRangeNamingTheSetting() {
    assertEquals("public.port: expected 0..65535, got 70000", refuse("public: {port: 70000}\n"));
    assertEquals(
        "public.requestsPerSecondPerClient: expected a positive number, got '0'",
        refuse("public: {requestsPerSecondPerClient: 0}\n"));
    assertEquals(
        "public.certificate: set together with public.key, or neither (the node's tls.crt)",
        refuse("public: {certificate: chain.pem}\n"));
    assertEquals("public.tls: unknown setting", refuse("public: {tls: x}\n"));
  }
}

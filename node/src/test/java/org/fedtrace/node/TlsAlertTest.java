package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.ssl.OpenSsl;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.FederationTrustManager;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.RevokedCertificate;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refused client certificate ends the handshake with the TLS alert of its reason, not the TLS
 * stack's internal_error, and the node counts the refusal by reason ({@code
 * fedtrace_tls_handshakes_refused_total}). Plain JDK sockets, so that nothing retries.
 */
class TlsAlertTest {
  @TempDir Path dir;

  private record Refusal(Credential certificate, String alert, String reason) {}

  @Test
  void refusedClientCertificatesGetTheAlertOfTheirReasonAndAreCounted() throws Exception {
    Assumptions.assumeTrue(OpenSsl.isAvailable(), "the node runs the JDK's TLS here");
    try (TestFederation f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR")) {
      OperatorIdentity fr = f.credentials("FR").identity();
      Credential revoked = f.credentials("FR").tls(); // FR's node is not started here
      f.pki()
          .setTerms(
              f.pki()
                  .terms()
                  .withRevoked(
                      RevokedCertificate.of(
                          revoked.certificate(), RevokedCertificate.Reason.KEY_COMPROMISE)));
      Node de = f.startNode("DE");
      for (Refusal r :
          List.of(
              new Refusal(f.pki().expiredTls(fr), "certificate_expired", "expired"),
              new Refusal(f.pki().notYetValidTls(fr), "certificate_expired", "not_yet_valid"),
              new Refusal(f.pki().foreignCaTls(fr), "unknown_ca", "untrusted_issuer"),
              new Refusal(
                  f.pki().tlsWithoutClientAuth(fr), "unsupported_certificate", "wrong_purpose"),
              new Refusal(f.pki().tlsWithoutIdentity(fr), "bad_certificate", "no_identity"),
              new Refusal(revoked, "certificate_revoked", "revoked"))) {
        try (SSLSocket s = socket(f, de, r.certificate())) {
          SSLException e =
              assertThrows(
                  SSLException.class,
                  () -> {
                    s.startHandshake(); // TLS 1.3: the server's verdict comes with the first read
                    s.getInputStream().read();
                  });
          assertTrue(
              e.getMessage().contains("Received fatal alert: " + r.alert()),
              r.reason() + ": " + e.getMessage());
        }
        // the node counted it before it sent the alert
        assertTrue(refusals(de, r.reason()) == 1, r.reason() + ": " + refusals(de, r.reason()));
      }
    }
  }

  private static double refusals(Node node, String reason) {
    return node.metrics().registry().scrape().stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals("fedtrace_tls_handshakes_refused"))
        .flatMap(m -> m.getDataPoints().stream())
        .filter(d -> reason.equals(d.getLabels().get("reason")))
        .mapToDouble(d -> ((CounterSnapshot.CounterDataPointSnapshot) d).getValue())
        .sum();
  }

  private static SSLSocket socket(TestFederation f, Node node, Credential client) throws Exception {
    char[] password = "test".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry(
        "client", client.privateKey(), password, new Certificate[] {client.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(
        kmf.getKeyManagers(),
        new TrustManager[] {new FederationTrustManager(f.pki().validator(), Clock.systemUTC())},
        null);
    SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", node.port());
    s.setEnabledProtocols(new String[] {"TLSv1.3"});
    s.setSoTimeout(10_000);
    return s;
  }
}

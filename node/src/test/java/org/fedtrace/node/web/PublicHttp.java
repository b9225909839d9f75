package org.fedtrace.node.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * An HTTPS client of the public endpoint, as a visitor's browser is: no client certificate; it
 * trusts the test federation's authority (the node serves its federation TLS certificate) and skips
 * the host name check, since test certificates do not name 127.0.0.1.
 */
final class PublicHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One answer. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final SSLContext tls;
  private final String base;

  PublicHttp(X509Certificate authority, int port) throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("federation", authority);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    this.tls = SSLContext.getInstance("TLSv1.3");
    tls.init(null, tmf.getTrustManagers(), null);
    this.base = "https://127.0.0.1:" + port;
  }

  /** GET {@code pathAndQuery}, which must be answered 200 with JSON. */
  JsonNode json(String pathAndQuery) throws IOException {
    Response r = request("GET", pathAndQuery);
    if (r.status() != 200) {
      throw new AssertionError("GET " + pathAndQuery + ": " + r.status() + " " + r.text());
    }
    return r.json();
  }

  /** The certificate the endpoint presents. */
  X509Certificate serverCertificate() throws IOException {
    HttpsURLConnection c =
        (HttpsURLConnection) URI.create(base + "/api/v1/federation").toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setHostnameVerifier((host, session) -> true);
    c.getResponseCode();
    return (X509Certificate) c.getServerCertificates()[0];
  }

  /** {@code method} on {@code pathAndQuery}, with a small body for methods that carry one. */
  Response request(String method, String pathAndQuery) throws IOException {
    HttpsURLConnection c =
        (HttpsURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
    c.setSSLSocketFactory(tls.getSocketFactory());
    c.setHostnameVerifier((host, session) -> true);
    c.setRequestMethod(method);
    if (method.equals("POST") || method.equals("PUT")) {
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write("{\"treeSize\": 0}".getBytes(StandardCharsets.UTF_8));
      }
    }
    int status = c.getResponseCode();
    InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
    byte[] body = in == null ? new byte[0] : in.readAllBytes();
    return new Response(status, c.getHeaderFields(), body);
  }
}

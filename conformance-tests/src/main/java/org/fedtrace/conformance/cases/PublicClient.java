package org.fedtrace.conformance.cases;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Target;

/**
 * A visitor of the public endpoint (spec/transparency.md §14): HTTPS with the JDK, TLS 1.3, no
 * client certificate, trusting the kit's authority, which issued the node's TLS certificate. The
 * host name is not checked: the node's certificate names its identity, not the address the suite
 * reaches it at.
 */
final class PublicClient {
  /** One answer, with the TLS protocol it came over. */
  record Response(int status, Map<String, List<String>> headers, String body, String protocol) {
    JsonObject json() {
      return JsonParser.parseString(body).getAsJsonObject();
    }

    /** The first value of header {@code name}, or null. */
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

  PublicClient(Target target) {
    int port =
        target
            .publicPort()
            .orElseThrow(() -> new IllegalStateException("the target has no public endpoint"));
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("authority", target.kit().ca());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      this.tls = SSLContext.getInstance("TLSv1.3");
      tls.init(null, tmf.getTrustManagers(), null);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot trust the kit's authority", e);
    }
    String host = target.host().contains(":") ? "[" + target.host() + "]" : target.host();
    this.base = "https://" + host + ":" + port;
  }

  /** GET {@code path}, which must answer 200 with JSON. */
  JsonObject json(String path) {
    Response r = request("GET", path);
    Expect.check(r.status() == 200, "GET " + path + " answered " + r.status() + ": " + r.body());
    return r.json();
  }

  /** {@code method} on {@code path}; POST and PUT send a small JSON body. */
  Response request(String method, String path) {
    try {
      HttpsURLConnection c = (HttpsURLConnection) URI.create(base + path).toURL().openConnection();
      c.setSSLSocketFactory(tls.getSocketFactory());
      c.setHostnameVerifier((host, session) -> true);
      c.setConnectTimeout(60_000);
      c.setReadTimeout(60_000);
      c.setRequestMethod(method);
      if (method.equals("POST") || method.equals("PUT")) {
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
          out.write("{\"treeSize\":0}".getBytes(StandardCharsets.UTF_8));
        }
      }
      int status = c.getResponseCode();
      String protocol = c.getSSLSession().map(x -> x.getProtocol()).orElse("");
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Response(status, c.getHeaderFields(), body, protocol);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed: " + e.getMessage(), e);
    }
  }
}

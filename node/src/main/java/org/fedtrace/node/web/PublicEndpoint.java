package org.fedtrace.node.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.fedtrace.node.config.PublicSite;
import org.fedtrace.node.stats.StatisticsView;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.tlog.LogIntegrityException;
import org.fedtrace.tlog.TransparencyLog;
import org.fedtrace.transport.MutualTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The public read-only transparency endpoint (spec transparency.md §14): the JDK's HTTPS server on
 * a port of its own, with the node's TLS certificate and no client certificate, serving the JSON
 * resources of {@link PublicApi} and the transparency page. Answers GET and HEAD only (R16.2),
 * limits requests per client address (R16.9), sets no cookie and logs no visitor (R16.8).
 */
public final class PublicEndpoint {
  private static final Logger LOG = LoggerFactory.getLogger(PublicEndpoint.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  /** R16.12: the page and what it loads come from this endpoint alone. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private static final Map<String, String[]> PAGES =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {"index.html", "text/html; charset=utf-8"},
          "/page.js", new String[] {"page.js", "text/javascript; charset=utf-8"},
          "/page.css", new String[] {"page.css", "text/css; charset=utf-8"});

  private final HttpsServer server;
  private final ExecutorService executor;
  private final PublicApi api;
  private final ClientLimits limits;

  private PublicEndpoint(
      HttpsServer server, ExecutorService executor, PublicApi api, ClientLimits l) {
    this.server = server;
    this.executor = executor;
    this.api = api;
    this.limits = l;
  }

  /**
   * Starts serving {@code log}, {@code agreement} and {@code statistics} on {@code site}'s address.
   *
   * @throws IOException if the address cannot be bound
   */
  public static PublicEndpoint start(
      PublicSite site,
      SSLContext tls,
      TransparencyLog log,
      Agreement agreement,
      OperatorIdentity node,
      StatisticsView statistics,
      Clock clock)
      throws IOException {
    HttpsServer server = HttpsServer.create(new InetSocketAddress(site.host(), site.port()), 64);
    server.setHttpsConfigurator(
        new HttpsConfigurator(tls) {
          @Override
          public void configure(HttpsParameters params) {
            SSLParameters p = tls.getDefaultSSLParameters();
            p.setProtocols(MutualTls.publicProtocols());
            p.setNeedClientAuth(false);
            p.setWantClientAuth(false);
            params.setSSLParameters(p);
          }
        });
    ExecutorService executor =
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "fedtrace-public-" + node.country());
              t.setDaemon(true);
              return t;
            });
    PublicEndpoint endpoint =
        new PublicEndpoint(
            server,
            executor,
            new PublicApi(log, agreement, node, statistics),
            new ClientLimits(site.requestsPerSecondPerClient(), clock));
    server.createContext("/", endpoint::handle);
    server.setExecutor(executor);
    server.start();
    LOG.info("event=public_endpoint_started port={}", endpoint.port());
    return endpoint;
  }

  /** The port the endpoint listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops serving: open exchanges get a second to finish. */
  public void stop() {
    server.stop(1);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      var headers = exchange.getResponseHeaders();
      headers.set("X-Content-Type-Options", "nosniff");
      headers.set("Referrer-Policy", "no-referrer");
      headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      String method = exchange.getRequestMethod();
      if (!method.equals("GET") && !method.equals("HEAD")) {
        headers.set("Allow", "GET, HEAD");
        error(exchange, 405, "R16.2: the public endpoint is read-only; use GET or HEAD");
        return;
      }
      long wait = limits.admit(exchange.getRemoteAddress().getAddress());
      if (wait > 0) {
        headers.set("Retry-After", Long.toString(wait));
        error(exchange, 429, "R16.9: too many requests from this address; retry later");
        return;
      }
      route(exchange);
    } finally {
      exchange.close();
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    String[] page = PAGES.get(path);
    if (page != null) {
      send(exchange, 200, page[1], resource(page[0]));
      return;
    }
    JsonNode body;
    try {
      body = api.get(path, query(exchange.getRequestURI().getRawQuery()));
    } catch (PublicApi.BadRequest e) {
      error(exchange, 400, e.getMessage());
      return;
    } catch (IllegalArgumentException e) {
      error(exchange, 400, "R16.4: the query is not well-formed");
      return;
    } catch (LogIntegrityException e) {
      LOG.error("event=public_log_damaged error=\"{}\"", e.getMessage());
      error(exchange, 500, "the log cannot be served now");
      return;
    }
    if (body == null) {
      error(exchange, 404, "no such resource");
      return;
    }
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(exchange, 200, JSON_TYPE, MAPPER.writeValueAsBytes(body));
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    byte[] body = MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("error", message));
    send(exchange, status, JSON_TYPE, body);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static byte[] resource(String name) {
    try (InputStream in = PublicEndpoint.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("the page's resource " + name + " is missing");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.putIfAbsent(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}

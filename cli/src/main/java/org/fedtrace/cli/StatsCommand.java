package org.fedtrace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.fedtrace.crypto.Digest;
import org.fedtrace.pki.Pem;
import org.fedtrace.stats.Epsilon;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedtrace stats}: sum and check a node's privacy-budget ledger from its public endpoint.
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = {
      "Sum and check a node's privacy-budget ledger from its public endpoint.",
      "",
      "Anyone can: the differentially private statistics and the log entries that record",
      "their epsilon are public (spec transparency.md section 16).",
      "",
      "Reads /api/v1/statistics and every public log entry, then checks: the epsilon of the",
      "STATISTICS_RELEASED entries sums to the spentEpsilon the node states (R18.8), which is",
      "at most its totalEpsilon (R18.7); each release's sha256 is the SHA-256 of its compact",
      "JSON and its ledger entry is a STATISTICS_RELEASED entry with its epsilon (R18.6); no",
      "day is released twice (R18.5). Prints one line per release and the totals. It does not",
      "verify the log's checkpoint or proofs: 'fedtrace audit' and the page do.",
      "",
      "Example: fedtrace stats --url https://transparency.example.org:8443 --ca ca.crt"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:the ledger checks out (or the node releases no statistics)",
      "1:the endpoint cannot be read",
      "2:bad option value",
      "3:the ledger does not check out (each failure on stderr)"
    })
final class StatsCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RELEASED = "STATISTICS_RELEASED";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      required = true,
      paramLabel = "URL",
      description = "The node's public endpoint, https://HOST:PORT.")
  URI url;

  @Option(
      names = "--ca",
      paramLabel = "PEM",
      description =
          "Trust this certificate (the federation authority's ca.crt when the endpoint uses the"
              + " node's tls.crt, which names no host: the chain is then the only check);"
              + " default: the JDK's trusted authorities and the host name.")
  Path ca;

  private SSLContext tls;

  @Override
  public Integer call() throws Exception {
    if (!"https".equals(url.getScheme()) || url.getHost() == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--url: expected https://HOST:PORT, got " + url);
    }
    tls = tls();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JsonNode st = get("/api/v1/statistics");
    if (!st.path("published").asBoolean()) {
      out.println("the node releases no statistics: " + st.path("explanation").asText());
      return 0;
    }
    Map<Long, JsonNode> ledger = ledger();
    List<String> failures = check(st, ledger, out);
    failures.forEach(f -> err.println("fedtrace stats: " + f));
    out.flush();
    return failures.isEmpty() ? 0 : 3;
  }

  private List<String> check(JsonNode st, Map<Long, JsonNode> ledger, PrintWriter out)
      throws IOException {
    List<String> failures = new ArrayList<>();
    Map<String, Boolean> days = new HashMap<>();
    out.printf("%-10s  %-10s  %-10s  %s%n", "day", "epsilon", "entry", "sha256");
    for (JsonNode r : st.path("releases")) {
      JsonNode body = r.path("release");
      String day = body.path("day").asText();
      String eps = body.path("epsilon").asText();
      long index = r.path("leafIndex").asLong();
      String sha = HexFormat.of().formatHex(Digest.sha256(JSON.writeValueAsBytes(body)).bytes());
      out.printf("%-10s  %-10s  %-10d  %s%n", day, eps, index, r.path("sha256").asText());
      if (days.put(day, true) != null) {
        failures.add("R18.5: " + day + " is released twice");
      }
      if (!sha.equals(r.path("sha256").asText())) {
        failures.add("R18.6: the release of " + day + " hashes to " + sha);
      }
      JsonNode e = ledger.get(index);
      if (e == null || !RELEASED.equals(e.path("event").asText())) {
        failures.add("R18.6: entry " + index + " of the release of " + day + " is not " + RELEASED);
      } else if (!eps.equals(e.path("reason").asText())) {
        failures.add("R18.6: entry " + index + " records epsilon " + e.path("reason").asText());
      }
    }
    Optional<Epsilon> sum =
        ledger.values().stream()
            .filter(e -> RELEASED.equals(e.path("event").asText()))
            .map(e -> Epsilon.parse(e.path("reason").asText()))
            .reduce(Epsilon::plus);
    String summed = sum.map(Epsilon::toString).orElse("0");
    String spent = st.path("spentEpsilon").asText();
    String total = st.path("totalEpsilon").asText();
    out.printf(
        "%d releases; ledger sum %s; node states spent %s of a budget of %s (%s, epsilon %s a"
            + " day)%n",
        st.path("releases").size(),
        summed,
        spent,
        total,
        st.path("mechanism").asText(),
        st.path("epsilon").asText());
    if (!summed.equals(spent)) {
      failures.add("R18.8: the ledger sums to " + summed + ", the node states " + spent);
    }
    if (sum.isPresent() && sum.get().compareTo(Epsilon.parse(total)) > 0) {
      failures.add("R18.7: the ledger sum " + summed + " exceeds the budget " + total);
    }
    return failures;
  }

  /** Every public entry, by index. */
  private Map<Long, JsonNode> ledger() throws IOException {
    long size = get("/api/v1/checkpoint").path("treeSize").asLong();
    Map<Long, JsonNode> out = new HashMap<>();
    for (long start = 0; start < size; ) {
      long end = Math.min(size, start + 1000);
      JsonNode entries = get("/api/v1/entries?start=" + start + "&end=" + end).path("entries");
      if (entries.isEmpty()) {
        throw new UserError("the endpoint served no entries from " + start);
      }
      for (JsonNode e : entries) {
        out.put(e.path("index").asLong(), e);
      }
      start += entries.size();
    }
    return out;
  }

  private JsonNode get(String path) throws IOException {
    URI target = url.resolve(path);
    try {
      HttpsURLConnection c = (HttpsURLConnection) target.toURL().openConnection();
      c.setSSLSocketFactory(tls.getSocketFactory());
      if (ca != null) {
        // a node's federation TLS certificate names no host: the chain to --ca is the check
        c.setHostnameVerifier((host, session) -> true);
      }
      c.setConnectTimeout(10_000);
      c.setReadTimeout(30_000);
      int status = c.getResponseCode();
      if (status != 200) {
        throw new UserError("GET " + path + " answered " + status);
      }
      try (InputStream in = c.getInputStream()) {
        return JSON.readTree(in);
      }
    } catch (IOException e) {
      throw new UserError("cannot read " + target + ": " + e.getMessage());
    }
  }

  private SSLContext tls() throws GeneralSecurityException, IOException {
    if (ca == null) {
      return SSLContext.getDefault();
    }
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", Pem.readCertificate(ca));
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext c = SSLContext.getInstance("TLS");
    c.init(null, tmf.getTrustManagers(), null);
    return c;
  }
}

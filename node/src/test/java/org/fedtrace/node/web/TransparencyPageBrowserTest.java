package org.fedtrace.node.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.fedtrace.node.Node;
import org.fedtrace.node.NodeOptions;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.transport.MutualTls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The transparency page in Debian's headless Chromium, driven by Selenium (spec R16.14): loaded
 * from a running node, it verifies the checkpoint's Ed25519 signature and the log's consistency;
 * then, through a shim in front of the node, it is served a checkpoint whose root was changed under
 * its signature, and the checkpoint of a forked log (a second node with the same identity and
 * signing key but other entries), and must say in its alert that verification failed. Skips, saying
 * so, without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (Debian packages chromium
 * and chromium-driver; {@code .ci/run} installs them). When it fails, read the page's alert text in
 * the assertion message and check page.js's parseNote, verifySignature and checkAgainstKept.
 */
class TransparencyPageBrowserTest {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private TestFederation f;
  private Node fork;
  private Shim shim;
  private WebDriver browser;

  @AfterEach
  void close() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    if (shim != null) {
      shim.server.stop(0);
    }
    if (fork != null) {
      fork.stop(Duration.ofSeconds(5));
    }
    if (f != null) {
      f.close();
    }
  }

  @Test
  void verifiesTheLogThenRefusesATamperedCheckpointAndAForkedLog() throws Exception {
    Assumptions.assumeTrue(
        Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
        "skipped: the browser test needs Debian's chromium and chromium-driver"
            + " (/usr/bin/chromium, /usr/bin/chromedriver); apt-get install chromium"
            + " chromium-driver");
    Clock clock = Clock.systemUTC();
    f = TestFederation.create(dir.resolve("fed"), clock, "DE").withoutBackgroundWork();
    f.withConfig(publicSection());
    Node node = f.startNode("DE");
    TestBatches keys = new TestBatches(7, clock.instant());
    f.upload("DE", keys.keys(3, 3));
    node.publishDue(true);
    fork = startFork(clock);
    f.upload(fork, keys.keys(4, 4));
    fork.publishDue(true);
    f.upload(fork, keys.keys(5, 5));
    fork.publishDue(true);
    long honest = node.transparencyLog().checkpoint().getTreeSize();
    assertTrue(
        fork.transparencyLog().checkpoint().getTreeSize() > honest,
        "the forked log is larger than the honest one");
    shim = Shim.start(f, node.publicPort(), fork.publicPort());
    browser = chromium();

    // straight from the node
    browser.get("https://127.0.0.1:" + node.publicPort() + "/");
    awaitVerdict("verified");
    assertTrue(text("verdict").contains("of " + honest + " entries"), text("verdict"));
    assertFalse(browser.findElement(By.id("alert")).isDisplayed());
    assertTrue(text("members").contains("(DE), operator op-de"), text("members"));
    assertTrue(text("countdown").matches("\\d+ days, .*seconds"), text("countdown"));
    assertEquals(
        "included: yes, verified",
        "included: "
            + browser.findElement(By.cssSelector("#entries tbody tr td:last-child")).getText());
    // keyboard: the first stop is the skip link, the next the "Check again" button
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertEquals("skip", browser.switchTo().activeElement().getAttribute("class"));
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertEquals("recheck", browser.switchTo().activeElement().getAttribute("id"));
    Path shot = Path.of("target", "transparency-page.png");
    Files.write(shot, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));

    // through the shim: first visit, then a second that checks consistency with the first
    browser.get(shim.url());
    awaitVerdict("verified");
    browser.navigate().refresh();
    awaitVerdict("verified");
    assertTrue(text("verdict").contains("consistent with the one this browser verified"));

    shim.mode = Mode.TAMPER;
    WebElement recheck = browser.findElement(By.id("recheck"));
    recheck.sendKeys(Keys.ENTER); // the button works from the keyboard
    awaitVerdict("failed");
    assertTrue(
        text("alert").startsWith("Verification failed: the checkpoint's signature does not verify"),
        text("alert"));

    shim.mode = Mode.PASS;
    browser.navigate().refresh();
    awaitVerdict("verified");

    shim.mode = Mode.FORK;
    browser.navigate().refresh();
    awaitVerdict("failed");
    assertTrue(
        text("alert")
            .startsWith(
                "Verification failed: the log is not consistent with the one this browser"
                    + " verified before"),
        text("alert"));
    assertEquals("alert", browser.findElement(By.id("alert")).getAttribute("role"));
    Files.write(
        Path.of("target", "transparency-page-forked.png"),
        ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
  }

  private String publicSection() throws IOException {
    return "public:\n  host: 127.0.0.1\n  port: "
        + PublicEndpointTest.freePort()
        + "\n  requestsPerSecondPerClient: 1000\n";
  }

  /**
   * A second node with DE's identity and signing key and a store of its own: whatever it logs is a
   * fork of DE's log, signed by DE's key.
   */
  private Node startFork(Clock clock) throws Exception {
    Path forkDir = dir.resolve("fork");
    Files.createDirectories(forkDir);
    try (Stream<Path> files = Files.list(f.dir("DE"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        Files.copy(p, forkDir.resolve(p.getFileName()));
      }
    }
    String yaml = Files.readString(forkDir.resolve("node.yaml"));
    Files.writeString(
        forkDir.resolve("node.yaml"), yaml.substring(0, yaml.indexOf("public:")) + publicSection());
    NodeConfig config = NodeConfig.load(forkDir.resolve("node.yaml"));
    Node node =
        Node.create(
            config,
            clock,
            new NodeOptions(
                new java.security.SecureRandom(), org.fedtrace.node.NodeSeam.NONE, false));
    node.start(
        io.grpc.netty.NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .sslContext(node.serverTls()));
    return node;
  }

  private WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--window-size=1200,1600");
    options.setAcceptInsecureCerts(true); // the node's certificate is the test federation's
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
    return new ChromeDriver(service, options);
  }

  private void awaitVerdict(String state) {
    new WebDriverWait(browser, WAIT)
        .withMessage(
            () -> "verdict " + state + "; page says: " + text("verdict") + " / " + text("alert"))
        .until(b -> state.equals(b.findElement(By.id("verdict")).getAttribute("data-state")));
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getAttribute("textContent").strip();
  }

  private enum Mode {
    PASS,
    TAMPER,
    FORK
  }

  /**
   * An HTTPS reverse proxy in front of the node's public endpoint, on an origin of its own (so that
   * the page keeps its checkpoint per origin): passes every request, or changes the root hash of
   * the checkpoint's note under its signature, or answers from the forked node.
   */
  private static final class Shim {
    final HttpsServer server;
    final PublicHttp honest;
    final PublicHttp forked;
    volatile Mode mode = Mode.PASS;

    private Shim(HttpsServer server, PublicHttp honest, PublicHttp forked) {
      this.server = server;
      this.honest = honest;
      this.forked = forked;
    }

    static Shim start(TestFederation f, int honestPort, int forkPort) throws Exception {
      HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
      server.setHttpsConfigurator(
          new HttpsConfigurator(MutualTls.publicServer(f.credentials("DE").tls())));
      Shim shim =
          new Shim(
              server,
              new PublicHttp(f.pki().caCertificate(), honestPort),
              new PublicHttp(f.pki().caCertificate(), forkPort));
      server.createContext("/", shim::handle);
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
      return shim;
    }

    String url() {
      return "https://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    private void handle(HttpExchange exchange) throws IOException {
      try {
        String target = exchange.getRequestURI().toString();
        PublicHttp.Response r =
            (mode == Mode.FORK ? forked : honest).request(exchange.getRequestMethod(), target);
        byte[] body = r.body();
        if (mode == Mode.TAMPER && target.startsWith("/api/v1/checkpoint")) {
          body = PublicHttp.JSON.writeValueAsBytes(tamper((ObjectNode) r.json()));
        }
        String type = r.header("Content-Type");
        exchange.getResponseHeaders().set("Content-Type", type == null ? "text/plain" : type);
        exchange.sendResponseHeaders(r.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          exchange.getResponseBody().write(body);
        }
      } finally {
        exchange.close();
      }
    }

    /** Flips one bit of the root hash in the note (and the field), keeping the signature. */
    private static ObjectNode tamper(ObjectNode checkpoint) {
      String root = checkpoint.get("rootHash").asText();
      byte[] changed = Base64.getDecoder().decode(root);
      changed[0] ^= 1;
      String other = Base64.getEncoder().encodeToString(changed);
      checkpoint.put("rootHash", other);
      String note = checkpoint.get("signedNote").asText();
      List<String> lines = List.of(note.split("\n", -1));
      assertEquals(root, lines.get(2), "the third line of the note is the root");
      checkpoint.put("signedNote", note.replace("\n" + root + "\n", "\n" + other + "\n"));
      return checkpoint;
    }
  }
}

package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.export.ExportKeys;
import org.fedtrace.pki.Pem;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node with {@code export.directory} set keeps that directory current on its own (§24). */
class ExportJobTest {
  @TempDir Path tmp;
  private TestFederation f;

  @AfterEach
  void close() throws InterruptedException {
    if (f != null) {
      f.close();
    }
  }

  @Test
  void aStartedNodePublishesTheHourThatEndedSignedWithItsExportKey() throws Exception {
    f =
        TestFederation.create(tmp.resolve("fed"), Clock.systemUTC(), "DE")
            .withConfig("export:\n  directory: www\n  keyId: '262'\n  minKeys: 140\n");
    Path folder = f.configure("DE").getParent();
    Path key = folder.resolve("export-signing.key");
    ExportKeys.generate(key, new SecureRandom());
    Path www = Files.createDirectories(folder.resolve("www"));
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      www.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      f.startNode("DE");
      // the root index is written last: wait for it, waking on each file the node creates
      while (!Files.exists(www.resolve("index.txt"))) {
        WatchKey k = watch.poll(60, TimeUnit.SECONDS);
        assertTrue(k != null, "no export within 60 s");
        k.pollEvents();
        k.reset();
      }
    }
    List<String> series = Files.readAllLines(www.resolve("ALL/hourly/index.txt"));
    assertEquals(1, series.size());
    GaenExport e = GaenExport.read(www.resolve(series.get(0)));
    e.verify(
        CertificateKeys.ecdsaP256PublicKey(Pem.readPublicKeyInfo(ExportKeys.publicKeyFile(key))));
    assertEquals("ALL", e.region());
    assertEquals(140, e.keys().size());
    assertEquals(0, e.endUnixSeconds() % 3_600);
  }
}

package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With {@code keys.custody: file} (the default), signing.key must be the key of signing.crt. */
class FileKeyCustodyTest {
  @TempDir Path dir;

  @Test
  void aSigningKeyFileOfAnotherCertificateStopsTheNode() throws Exception {
    TestFederation f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR");
    try {
      f.configure("DE");
      f.configure("FR");
      Path key = f.dir("DE").resolve(PkiFiles.SIGNING_KEY);
      Files.delete(key);
      Files.copy(f.dir("FR").resolve(PkiFiles.SIGNING_KEY), key);
      NodeStartException e = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
      assertEquals(
          "credentials: "
              + key
              + " is not the key of "
              + f.dir("DE").resolve(PkiFiles.SIGNING_CERTIFICATE),
          e.getMessage());
    } finally {
      f.close();
    }
  }
}

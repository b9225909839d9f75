package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.batch.BatchSigner;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.PullBatchesResponse;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R9.4: a PullBatches page stays within 4 MiB, however large the batches it holds. */
class PullBatchesPagesTest {
  @TempDir Path dir;

  @Test
  void pagesOfLargeBatchesStayWithinFourMebibytesAndMissNothing() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE", "FR", "IT");
    try {
      f.startNode("FR");
      OperatorCredentials de = f.credentials("DE");
      BatchSigner signer =
          new BatchSigner(
              SigningKey.fromPrivateKey(de.signing().privateKey()),
              de.signing().certificate().getEncoded());
      TestBatches t = new TestBatches(21, clock.instant());
      FederationGrpc.FederationBlockingStub asDe = f.federation("FR", "DE");
      Set<ByteString> published = new HashSet<>();
      for (int i = 1; i <= 16; i++) {
        DiagnosisKeyBatch b = signer.sign(t.batch("DE", i, t.keys(10_000, 13)));
        assertFalse(
            asDe.publishBatch(PublishBatchRequest.newBuilder().setBatch(b).build()).getDuplicate());
        published.add(b.getBatchId());
      }

      FederationGrpc.FederationBlockingStub asIt = f.federation("FR", "IT");
      List<Integer> pageSizes = new ArrayList<>();
      Set<ByteString> pulled = new HashSet<>();
      ByteString cursor = ByteString.EMPTY;
      PullBatchesResponse page;
      do {
        page = asIt.pullBatches(PullBatchesRequest.newBuilder().setCursor(cursor).build());
        assertTrue(page.getSerializedSize() <= 4_194_304, "page of " + page.getSerializedSize());
        pageSizes.add(page.getBatchesCount());
        for (DiagnosisKeyBatch b : page.getBatchesList()) {
          assertTrue(pulled.add(b.getBatchId()), "a batch came twice");
        }
        cursor = page.getNextCursor();
      } while (!page.getCaughtUp());
      assertEquals(published, pulled);
      assertTrue(pageSizes.size() > 1, "16 batches of 10,000 keys need more than one page");
      assertTrue(pageSizes.stream().allMatch(n -> n > 0), pageSizes.toString());
    } finally {
      f.close();
    }
  }
}

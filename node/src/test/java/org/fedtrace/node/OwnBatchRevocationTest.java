package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.testing.TestBatches;
import org.fedtrace.testing.TestFederation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * R8.35: a key uploaded again as REVOKED while its first upload still waits for a batch goes out as
 * REVOKED; both uploads were acknowledged, so neither may be dropped in favour of the other.
 */
class OwnBatchRevocationTest {
  @TempDir Path dir;

  @Test
  void aRevocationUploadedWhileTheKeyWaitsIsWhatTheBatchCarries() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork();
    try {
      f.startNode("DE");
      DiagnosisKey k = new TestBatches(21, clock.instant()).key(2);
      DiagnosisKey revoked = k.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
      f.upload("DE", List.of(k));
      f.upload("DE", List.of(revoked));
      assertEquals(1, f.node("DE").publishDue(true));
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      List<DiagnosisKey> copies =
          own.getKeysList().stream().filter(x -> x.getKeyData().equals(k.getKeyData())).toList();
      assertEquals(List.of(revoked), copies, "R8.35: the batch carries the key once, REVOKED");
    } finally {
      f.close();
    }
  }

  @Test
  void aKeyUploadedAgainAfterItsRevocationStaysRevoked() throws Exception {
    Clock clock = Clock.systemUTC();
    TestFederation f = TestFederation.create(dir, clock, "DE").withoutBackgroundWork();
    try {
      f.startNode("DE");
      DiagnosisKey k = new TestBatches(22, clock.instant()).key(3);
      DiagnosisKey revoked = k.toBuilder().setReportType(ReportType.REPORT_TYPE_REVOKED).build();
      f.upload("DE", List.of(revoked));
      f.upload("DE", List.of(k));
      assertEquals(1, f.node("DE").publishDue(true));
      DiagnosisKeyBatch own =
          TestBatches.parse(
              f.node("DE").store().read(tx -> tx.batches().ofOrigin("DE")).get(0).payload());
      List<DiagnosisKey> copies =
          own.getKeysList().stream().filter(x -> x.getKeyData().equals(k.getKeyData())).toList();
      assertEquals(List.of(revoked), copies, "R8.35: a revocation is final (R15.18)");
    } finally {
      f.close();
    }
  }
}

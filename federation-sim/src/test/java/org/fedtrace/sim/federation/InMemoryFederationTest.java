package org.fedtrace.sim.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.sim.SimClock;
import org.junit.jupiter.api.Test;

class InMemoryFederationTest {
  private static final Instant T0 = Instant.parse("2021-03-01T00:00:00Z");
  private static final int ENIN0 = (int) (T0.getEpochSecond() / 600);

  private static InMemoryFederation federation(Topology topology, int maxKeys, int padding) {
    FederationSpec spec =
        new FederationSpec(
            List.of("BE", "NL", "LU", "DE"),
            topology,
            "NL",
            maxKeys,
            3600,
            1,
            3600,
            padding,
            14,
            T0,
            1,
            false,
            5);
    return new InMemoryFederation(spec, new SimClock(T0));
  }

  private static DiagnosisKey key(int b, int dsos) {
    byte[] data = new byte[16];
    data[0] = (byte) b;
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .setRollingStartIntervalNumber(ENIN0)
        .setRollingPeriod(144)
        .setReportType(ReportType.REPORT_TYPE_CONFIRMED_TEST)
        .setDaysSinceOnsetOfSymptoms(dsos)
        .setTransmissionRiskLevel(4)
        .build();
  }

  private static List<DiagnosisKey> keys(int from, int count) {
    List<DiagnosisKey> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(key(from + i, i));
    }
    return out;
  }

  private static Instant at(int hours) {
    return T0.plus(Duration.ofHours(hours));
  }

  @Test
  void aBatchIsPublishedWhenItsOldestKeyReachesTheMaxAgeAndReachesEveryNode() {
    InMemoryFederation f = federation(Topology.MESH, 100, 0);
    f.upload("BE", keys(1, 3), 1, at(24));

    f.exchange(at(24));
    assertEquals(0, f.published().size());
    f.exchange(at(25));

    assertEquals(1, f.published().size());
    DiagnosisKeyBatch b = f.published().get(0);
    assertEquals("BE", b.getOrigin());
    assertEquals(1, b.getSequence());
    for (String c : List.of("BE", "NL", "LU", "DE")) {
      assertEquals(List.of(b), f.receivedSince(c, 0).batches());
    }
  }

  @Test
  void domesticOnlyKeysAreNeverBatchedAndTravellersGetBatchesOfTheirOwn() {
    InMemoryFederation f = federation(Topology.MESH, 100, 0);
    f.upload("BE", keys(1, 2), 1, at(24), Federation.Consent.DOMESTIC_ONLY);
    f.upload("BE", keys(11, 2), 2, at(24), Federation.Consent.TRAVELLER);
    f.upload("BE", keys(21, 2), 3, at(24), Federation.Consent.FEDERATE);
    f.exchange(at(26));

    assertEquals(2, f.published().size(), "one batch per scope, none of the domestic keys");
    DiagnosisKeyBatch federate = f.published().get(0);
    DiagnosisKeyBatch travellers = f.published().get(1);
    assertEquals(1, federate.getFormatVersion());
    assertEquals(BatchScope.BATCH_SCOPE_UNSPECIFIED, federate.getScope());
    assertEquals(
        keys(21, 2).stream()
            .map(DiagnosisKey::getKeyData)
            .sorted(ByteString.unsignedLexicographicalComparator())
            .toList(),
        federate.getKeysList().stream().map(DiagnosisKey::getKeyData).toList());
    assertEquals(2, travellers.getFormatVersion());
    assertEquals(BatchScope.BATCH_SCOPE_TRAVELLER, travellers.getScope());
    assertEquals(
        keys(11, 2).stream()
            .map(DiagnosisKey::getKeyData)
            .sorted(ByteString.unsignedLexicographicalComparator())
            .toList(),
        travellers.getKeysList().stream().map(DiagnosisKey::getKeyData).toList());
  }

  @Test
  void aBatchClosedByAgeWaitsForThreeUploadsUnlessItsOldestKeyWaitedTheHold() {
    FederationSpec spec =
        new FederationSpec(
            List.of("BE", "NL"),
            Topology.MESH,
            null,
            100,
            3600,
            3,
            6 * 3600,
            0,
            14,
            T0,
            1,
            false,
            5);
    InMemoryFederation f = new InMemoryFederation(spec, new SimClock(T0));
    f.upload("BE", keys(1, 2), 1, at(24));
    f.upload("BE", keys(11, 2), 2, at(25));
    f.exchange(at(26));
    assertEquals(0, f.published().size(), "two uploads are too few");
    f.upload("BE", keys(21, 2), 3, at(26));
    f.exchange(at(26));
    assertEquals(1, f.published().size(), "three uploads, the oldest past the age");
    assertEquals(6, f.published().get(0).getKeysCount());

    f.upload("BE", keys(31, 2), 4, at(27));
    f.exchange(at(32));
    assertEquals(1, f.published().size());
    f.exchange(at(33));
    assertEquals(2, f.published().size(), "a lone upload goes out after the hold");
  }

  @Test
  void fullBatchesArePublishedAtOnce() {
    InMemoryFederation f = federation(Topology.MESH, 4, 0);
    f.upload("BE", keys(1, 5), 1, at(24));
    f.upload("BE", keys(10, 4), 2, at(24));

    f.exchange(at(24));

    assertEquals(
        List.of(4, 4), f.published().stream().map(DiagnosisKeyBatch::getKeysCount).toList());
    assertEquals(
        List.of(1L, 2L), f.published().stream().map(DiagnosisKeyBatch::getSequence).toList());
  }

  @Test
  void batchesArePaddedWithRandomKeysCopyingRealMetadataInCanonicalOrder() {
    InMemoryFederation f = federation(Topology.MESH, 100, 50);
    List<DiagnosisKey> real = keys(1, 3);
    f.upload("LU", real, 1, at(24));

    f.exchange(at(30));

    DiagnosisKeyBatch b = f.published().get(0);
    assertEquals(50, b.getKeysCount());
    assertTrue(b.getKeysList().containsAll(real));
    Set<Integer> realOnsets =
        real.stream().map(DiagnosisKey::getDaysSinceOnsetOfSymptoms).collect(Collectors.toSet());
    for (DiagnosisKey k : b.getKeysList()) {
      assertTrue(realOnsets.contains(k.getDaysSinceOnsetOfSymptoms()));
      assertEquals(ENIN0, k.getRollingStartIntervalNumber());
    }
    List<ByteString> order =
        new ArrayList<>(b.getKeysList().stream().map(DiagnosisKey::getKeyData).toList());
    List<ByteString> sorted = new ArrayList<>(order);
    Collections.sort(sorted, ByteString.unsignedLexicographicalComparator());
    assertEquals(sorted, order);
  }

  @Test
  void samePaddingForTheSameSeed() {
    InMemoryFederation a = federation(Topology.MESH, 100, 20);
    InMemoryFederation b = federation(Topology.MESH, 100, 20);
    a.upload("BE", keys(1, 2), 1, at(24));
    b.upload("BE", keys(1, 2), 1, at(24));

    a.exchange(at(26));
    b.exchange(at(26));

    assertEquals(a.published(), b.published());
  }

  @Test
  void meshTrafficCountsEveryHopAtBothEnds() {
    InMemoryFederation f = federation(Topology.MESH, 100, 0);
    f.upload("BE", keys(1, 2), 1, at(24));
    f.exchange(at(26));
    long size = f.published().get(0).getSerializedSize();

    assertEquals(3 * size, f.trafficBytes("BE"));
    assertEquals(size, f.trafficBytes("NL"));
    assertEquals(size, f.trafficBytes("DE"));
  }

  @Test
  void hubTrafficGoesThroughTheHub() {
    InMemoryFederation f = federation(Topology.HUB, 100, 0);
    f.upload("BE", keys(1, 2), 1, at(24));
    f.exchange(at(26));
    long size = f.published().get(0).getSerializedSize();

    assertEquals(size, f.trafficBytes("BE"));
    assertEquals(3 * size, f.trafficBytes("NL"));
    assertEquals(size, f.trafficBytes("LU"));
    assertEquals(1, f.receivedSince("DE", 0).batches().size());
  }

  @Test
  void chainTrafficRelaysAlongTheLine() {
    InMemoryFederation f = federation(Topology.CHAIN, 100, 0);
    f.upload("NL", keys(1, 2), 1, at(24));
    f.exchange(at(26));
    long size = f.published().get(0).getSerializedSize();

    assertEquals(size, f.trafficBytes("BE"));
    assertEquals(2 * size, f.trafficBytes("NL"));
    assertEquals(2 * size, f.trafficBytes("LU"));
    assertEquals(size, f.trafficBytes("DE"));
    assertEquals(1, f.receivedSince("DE", 0).batches().size());
  }

  @Test
  void markersResume() {
    InMemoryFederation f = federation(Topology.MESH, 100, 0);
    f.upload("BE", keys(1, 1), 1, at(24));
    f.exchange(at(26));
    Federation.Received first = f.receivedSince("DE", 0);
    f.upload("NL", keys(5, 1), 2, at(26));
    f.exchange(at(28));

    Federation.Received second = f.receivedSince("DE", first.nextMarker());

    assertEquals(1, second.batches().size());
    assertEquals("NL", second.batches().get(0).getOrigin());
    assertEquals(List.of(), f.receivedSince("DE", second.nextMarker()).batches());
  }

  @Test
  void refusesWhatANodeWouldRefuse() {
    InMemoryFederation f = federation(Topology.MESH, 100, 0);
    f.upload("BE", keys(1, 1), 1, at(24));

    assertEquals(
        "person 1 uploaded twice; an upload authorization is single use",
        assertThrows(IllegalArgumentException.class, () -> f.upload("BE", keys(2, 1), 1, at(24)))
            .getMessage());
    assertEquals(
        "keys[0].rolling_start_interval_number: in the future",
        assertThrows(IllegalArgumentException.class, () -> f.upload("BE", keys(2, 1), 2, at(-1)))
            .getMessage());
    assertEquals(
        "keys[0].rolling_period: must be in 1..144, got 145",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    f.upload(
                        "BE",
                        List.of(key(3, 0).toBuilder().setRollingPeriod(145).build()),
                        3,
                        at(24)))
            .getMessage());
    assertEquals(
        "keys[0].rolling_start_interval_number: past retention",
        assertThrows(
                IllegalArgumentException.class, () -> f.upload("BE", keys(2, 1), 4, at(24 * 16)))
            .getMessage());
    assertEquals(
        "no node for country PT",
        assertThrows(IllegalArgumentException.class, () -> f.upload("PT", keys(2, 1), 5, at(24)))
            .getMessage());
  }
}

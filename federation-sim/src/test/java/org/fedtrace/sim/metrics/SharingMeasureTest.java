package org.fedtrace.sim.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.metrics.privacy.TekLinkage;
import org.junit.jupiter.api.Test;

/** Visited countries as a linkage feature of the curious node. */
class SharingMeasureTest {
  /** Two people, two days each, in one batch with the same metadata; A visited FR, B nowhere. */
  private static final List<DiagnosisKeyBatch> BATCHES =
      List.of(
          DiagnosisKeyBatch.newBuilder()
              .setOrigin("DE")
              .addKeys(key(1, "FR"))
              .addKeys(key(2, "FR"))
              .addKeys(key(3))
              .addKeys(key(4))
              .build());

  /** Key byte 1 and 2 are A's days 0 and 1, 3 and 4 B's. */
  private static final Map<Integer, int[]> OWNER_DAY =
      Map.of(1, new int[] {0, 0}, 2, new int[] {0, 1}, 3, new int[] {1, 0}, 4, new int[] {1, 1});

  private static final Function<DiagnosisKey, TekLinkage.LinkKey> LINK =
      k -> {
        int[] od = OWNER_DAY.get((int) k.getKeyData().byteAt(0));
        return new TekLinkage.LinkKey(od[0], od[1], 7, 7);
      };

  private static DiagnosisKey key(int id, String... visited) {
    byte[] data = new byte[16];
    data[0] = (byte) id;
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(data))
        .addAllVisitedCountries(List.of(visited))
        .build();
  }

  @Test
  void theSameVisitedCountriesSingleOutThePredecessor() {
    List<TekLinkage.Unit> plain =
        List.of(
            new TekLinkage.Unit("DE", BATCHES.get(0).getKeysList().stream().map(LINK).toList()));
    TekLinkage.Result without = TekLinkage.of(plain);
    assertEquals(0.5, without.success(), 1e-12, "two candidates of day 0 for each key of day 1");
    TekLinkage.Result with = SharingMeasure.withVisited(BATCHES, LINK);
    assertEquals(1.0, with.success(), 1e-12, "the visited countries tell the two apart");
    assertEquals(0.5, with.chance(), 1e-12);
    assertEquals(0.5, with.advantage(), 1e-12);
  }
}

package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.ArrayList;
import java.util.List;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.junit.jupiter.api.Test;

/**
 * The EU gateway's days-since-onset codes (spec §26.1): every published code maps to a state and
 * back to itself, every other code is refused with R26.5, and a state survives the wire.
 */
class SymptomsTest {
  /**
   * The published code ranges of the EU federation gateway: a known onset -14..14; an onset range
   * of n days n × 100 - 14 .. n × 100 + 14 for n in 1..19; an unknown onset 1986..2014;
   * asymptomatic 2986..3014; an unknown symptom status 3986..4014.
   */
  static List<int[]> publishedRanges() {
    List<int[]> ranges = new ArrayList<>();
    ranges.add(new int[] {-14, 14});
    for (int n = 1; n <= 19; n++) {
      ranges.add(new int[] {n * 100 - 14, n * 100 + 14});
    }
    ranges.add(new int[] {1986, 2014});
    ranges.add(new int[] {2986, 3014});
    ranges.add(new int[] {3986, 4014});
    return ranges;
  }

  @Test
  void everyPublishedCodeRoundTrips() {
    List<String> failures = new ArrayList<>();
    int codes = 0;
    for (int[] range : publishedRanges()) {
      for (int code = range[0]; code <= range[1]; code++) {
        codes++;
        Symptoms s = Symptoms.fromEfgsCode(code);
        if (s.efgsCode() != code) {
          failures.add(code + " came back as " + s.efgsCode());
        }
        Symptoms onWire = wire(s);
        if (!onWire.equals(s)) {
          failures.add(code + ": " + s + " became " + onWire + " on the wire");
        }
      }
    }
    assertEquals(List.of(), failures);
    assertEquals(23 * 29, codes);
  }

  @Test
  void eachRangeMapsToItsState() {
    assertEquals(new Symptoms.KnownOnset(0), Symptoms.fromEfgsCode(0));
    assertEquals(new Symptoms.KnownOnset(-14), Symptoms.fromEfgsCode(-14));
    assertEquals(new Symptoms.OnsetInRange(1, -14), Symptoms.fromEfgsCode(86));
    assertEquals(new Symptoms.OnsetInRange(7, 0), Symptoms.fromEfgsCode(700));
    assertEquals(new Symptoms.OnsetInRange(19, 14), Symptoms.fromEfgsCode(1914));
    assertEquals(new Symptoms.OnsetUnknown(-14), Symptoms.fromEfgsCode(1986));
    assertEquals(new Symptoms.Asymptomatic(0), Symptoms.fromEfgsCode(3000));
    assertEquals(new Symptoms.StatusUnknown(14), Symptoms.fromEfgsCode(4014));
  }

  @Test
  void codesOutsideThePublishedRangesAreRefusedWithTheRule() {
    int[] invalid = {
      15,
      -15,
      85,
      115,
      1885,
      1915,
      1985,
      2015,
      2985,
      3015,
      3985,
      4015,
      5000,
      2050,
      Integer.MAX_VALUE,
      Integer.MIN_VALUE,
      -100,
      50
    };
    for (int code : invalid) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Symptoms.fromEfgsCode(code));
      assertEquals(
          "R26.5: " + code + " is not a days-since-onset code of the EU gateway", e.getMessage());
    }
  }

  @Test
  void noInformationHasNoCodeAndClearsBothFields() {
    Symptoms none = Symptoms.of(DiagnosisKey.getDefaultInstance());
    assertEquals(new Symptoms.None(), none);
    assertFalse(none.hasEfgsCode());
    assertThrows(IllegalStateException.class, none::efgsCode);
    DiagnosisKey k = none.applyTo(DiagnosisKey.newBuilder().setDaysSinceOnsetOfSymptoms(3)).build();
    assertFalse(k.hasDaysSinceOnsetOfSymptoms());
    assertFalse(k.hasSymptomStatus());
  }

  @Test
  void knownOnsetTravelsInFieldFiveAndEveryOtherStateInFieldEight() {
    DiagnosisKey known = new Symptoms.KnownOnset(0).applyTo(DiagnosisKey.newBuilder()).build();
    assertTrue(known.hasDaysSinceOnsetOfSymptoms());
    assertFalse(known.hasSymptomStatus());
    DiagnosisKey asymptomatic =
        new Symptoms.Asymptomatic(0).applyTo(DiagnosisKey.newBuilder()).build();
    assertFalse(asymptomatic.hasDaysSinceOnsetOfSymptoms());
    assertTrue(asymptomatic.hasSymptomStatus());
    // field 8 (tag 0x42), length 2, oneof member 3 (sint32, tag 0x18) = 0: written although zero
    assertEquals("42021800", java.util.HexFormat.of().formatHex(asymptomatic.toByteArray()));
  }

  @Test
  void aKeyWithBothFieldsOrAnEmptyStatusHasNoState() {
    DiagnosisKey both =
        new Symptoms.OnsetUnknown(1)
            .applyTo(DiagnosisKey.newBuilder())
            .setDaysSinceOnsetOfSymptoms(1)
            .build();
    assertThrows(IllegalArgumentException.class, () -> Symptoms.of(both));
    DiagnosisKey empty =
        DiagnosisKey.newBuilder()
            .setSymptomStatus(org.fedtrace.proto.v1.SymptomStatus.getDefaultInstance())
            .build();
    assertThrows(IllegalArgumentException.class, () -> Symptoms.of(empty));
  }

  /** {@code s} set on a key, serialized, parsed back and read. */
  private static Symptoms wire(Symptoms s) {
    byte[] bytes = s.applyTo(DiagnosisKey.newBuilder()).build().toByteArray();
    try {
      return Symptoms.of(DiagnosisKey.parseFrom(bytes));
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }
}

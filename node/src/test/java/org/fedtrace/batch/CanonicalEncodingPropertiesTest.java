package org.fedtrace.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.fedtrace.crypto.SecretBytes;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * Properties of {@link CanonicalEncoding#batch}: it does not depend on the order of the keys, and
 * it is injective on the fields it covers, so a signature binds every one of them.
 */
class CanonicalEncodingPropertiesTest {
  private static final SigningKey SIGNER = SigningKey.fromSeed(SecretBytes.copyOf(new byte[32]));

  /** A field the encoding covers, and how to change it into another value. */
  enum Field {
    FORMAT_VERSION,
    BATCH_ID,
    ORIGIN,
    SEQUENCE,
    CREATED,
    KEY_DATA,
    ROLLING_START,
    ROLLING_PERIOD,
    REPORT_TYPE,
    DSOS_VALUE,
    DSOS_PRESENCE,
    RISK,
    VISITED_COUNTRIES,
    ADDED_KEY,
    REMOVED_KEY
  }

  @Provide
  Arbitrary<DiagnosisKeyBatch> batches() {
    return BatchArbitraries.batches();
  }

  @Provide
  Arbitrary<DiagnosisKeyBatch> smallBatches() {
    return BatchArbitraries.smallBatches();
  }

  @Provide
  Arbitrary<DiagnosisKey> keys() {
    return BatchArbitraries.keys();
  }

  @Property(tries = 200)
  void encodingAndSignatureValidityDoNotDependOnKeyOrder(
      @ForAll("batches") DiagnosisKeyBatch batch, @ForAll Random random) throws SignatureException {
    List<DiagnosisKey> keys = new ArrayList<>(batch.getKeysList());
    Collections.shuffle(keys, random);
    DiagnosisKeyBatch shuffled = batch.toBuilder().clearKeys().addAllKeys(keys).build();
    assertArrayEquals(CanonicalEncoding.batch(batch), CanonicalEncoding.batch(shuffled));

    BatchSigner signer = new BatchSigner(SIGNER, new byte[] {1});
    DiagnosisKeyBatch signed = signer.sign(batch);
    BatchSigner.verify(
        shuffled.toBuilder().setSignature(signed.getSignature()).build(), SIGNER.verifyingKey());
    assertEquals(signed.getSignature(), signer.sign(shuffled).getSignature());
  }

  @Property(tries = 500)
  void changingOneCoveredFieldChangesTheEncoding(
      @ForAll("batches") DiagnosisKeyBatch batch,
      @ForAll Field field,
      @ForAll @IntRange(min = 0, max = 10_000) int choice) {
    DiagnosisKeyBatch changed = change(batch, field, choice);
    assertFalse(BatchArbitraries.sameCoveredContent(batch, changed), "the change changed nothing");
    assertFalse(
        Arrays.equals(CanonicalEncoding.batch(batch), CanonicalEncoding.batch(changed)),
        field + " changed but the encoding did not");
  }

  @Property(tries = 1000)
  void encodingsAreEqualExactlyWhenTheCoveredFieldsAre(
      @ForAll("smallBatches") DiagnosisKeyBatch a, @ForAll("smallBatches") DiagnosisKeyBatch b) {
    boolean same = BatchArbitraries.sameCoveredContent(a, b);
    Statistics.label("covered fields").collect(same ? "equal" : "different");
    assertEquals(same, Arrays.equals(CanonicalEncoding.batch(a), CanonicalEncoding.batch(b)));
  }

  @Property(tries = 200)
  void daysSinceOnsetAbsentAndZeroEncodeDifferently(@ForAll("keys") DiagnosisKey key) {
    byte[] absent =
        CanonicalEncoding.keyRecord(key.toBuilder().clearDaysSinceOnsetOfSymptoms().build());
    byte[] zero =
        CanonicalEncoding.keyRecord(key.toBuilder().setDaysSinceOnsetOfSymptoms(0).build());
    assertFalse(Arrays.equals(absent, zero));
  }

  /** {@code batch} with {@code field} (of key {@code choice mod n} for key fields) changed. */
  private static DiagnosisKeyBatch change(DiagnosisKeyBatch batch, Field field, int choice) {
    DiagnosisKeyBatch.Builder b = batch.toBuilder();
    int index = choice % batch.getKeysCount();
    DiagnosisKey k = batch.getKeys(index);
    DiagnosisKey.Builder key = k.toBuilder();
    switch (field) {
      case FORMAT_VERSION -> b.setFormatVersion(batch.getFormatVersion() + 1);
      case BATCH_ID -> b.setBatchId(flipBit(batch.getBatchId(), choice));
      case ORIGIN ->
          b.setOrigin(nextLetter(batch.getOrigin().charAt(0)) + batch.getOrigin().substring(1));
      case SEQUENCE -> b.setSequence(batch.getSequence() + 1);
      case CREATED ->
          b.setCreatedUnixSeconds(batch.getCreatedUnixSeconds() ^ (1L << (choice % 64)));
      case ADDED_KEY -> b.addKeys(k);
      case REMOVED_KEY -> b.removeKeys(index);
      default -> b.setKeys(index, changeKey(k, key, field, choice));
    }
    return b.build();
  }

  private static DiagnosisKey changeKey(
      DiagnosisKey k, DiagnosisKey.Builder key, Field field, int choice) {
    int dsos = k.getDaysSinceOnsetOfSymptoms();
    switch (field) {
      case KEY_DATA -> key.setKeyData(flipBit(k.getKeyData(), choice));
      case ROLLING_START ->
          key.setRollingStartIntervalNumber(
              k.getRollingStartIntervalNumber() ^ (1 << (choice % 32)));
      case ROLLING_PERIOD -> key.setRollingPeriod(k.getRollingPeriod() % 144 + 1);
      case REPORT_TYPE -> key.setReportTypeValue(k.getReportTypeValue() % 5 + 1);
      case DSOS_VALUE -> key.setDaysSinceOnsetOfSymptoms(dsos == 14 ? -14 : dsos + 1);
      case DSOS_PRESENCE -> {
        if (k.hasDaysSinceOnsetOfSymptoms()) {
          key.clearDaysSinceOnsetOfSymptoms();
        } else {
          key.setDaysSinceOnsetOfSymptoms(0);
        }
      }
      case RISK -> key.setTransmissionRiskLevel((k.getTransmissionRiskLevel() + 1) % 9);
      case VISITED_COUNTRIES -> {
        String country = BatchArbitraries.COUNTRIES.get(choice % BatchArbitraries.COUNTRIES.size());
        List<String> visited = new ArrayList<>(k.getVisitedCountriesList());
        if (!visited.remove(country)) {
          visited.add(country);
          Collections.sort(visited);
        }
        key.clearVisitedCountries().addAllVisitedCountries(visited);
      }
      default -> throw new IllegalArgumentException("not a key field: " + field);
    }
    return key.build();
  }

  private static ByteString flipBit(ByteString bytes, int choice) {
    byte[] b = bytes.toByteArray();
    int bit = choice % (b.length * 8);
    b[bit / 8] ^= (byte) (1 << (bit % 8));
    return ByteString.copyFrom(b);
  }

  private static char nextLetter(char c) {
    return (char) ('A' + (c - 'A' + 1) % 26);
  }
}

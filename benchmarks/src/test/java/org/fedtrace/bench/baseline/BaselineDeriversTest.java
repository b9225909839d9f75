package org.fedtrace.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.fedtrace.crypto.TemporaryExposureKey;
import org.fedtrace.crypto.TokenDeriver;

/**
 * The benchmark's baselines and limit compute the same RPIs as {@link TokenDeriver}, so that a
 * benchmark compares equal work.
 */
class BaselineDeriversTest {
  private final TokenDeriver deriver = TokenDeriver.create();

  @Property(tries = 20)
  void naiveDerivationEqualsTokenDeriver(
      @ForAll @Size(16) byte[] tek,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 200) int start,
      @ForAll @IntRange(min = 1, max = 144) int count) {
    byte[] expected = new byte[count * 16];
    byte[] naive = new byte[count * 16];
    deriver.deriveRpis(tek, start, count, expected, 0);
    new NaiveTokenDeriver().deriveRpis(tek, start, count, naive, 0);
    assertArrayEquals(expected, naive);
  }

  @Property(tries = 200)
  void bouncyCastleDerivationEqualsTokenDeriver(
      @ForAll @Size(16) byte[] tek,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 200) int start,
      @ForAll @IntRange(min = 1, max = 144) int count) {
    byte[] expected = new byte[count * 16];
    byte[] bc = new byte[count * 16];
    deriver.deriveRpis(tek, start, count, expected, 0);
    new BouncyCastleTokenDeriver().deriveRpis(tek, start, count, bc, 0);
    assertArrayEquals(expected, bc);
  }

  @Property(tries = 20)
  void cipherBoundEqualsTokenDeriverForTheSameRpik(
      @ForAll @Size(16) byte[] tek,
      @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 200) int start) {
    byte[] expected = new byte[144 * 16];
    byte[] bound = new byte[144 * 16];
    deriver.deriveRpis(tek, start, 144, expected, 0);
    RpiCipherBound cipher = new RpiCipherBound(deriver.rpik(TemporaryExposureKey.of(tek)), start);
    cipher.encrypt(bound, 0);
    assertArrayEquals(expected, bound);
    bound = new byte[144 * 16];
    cipher.encrypt(bound, 0);
    assertArrayEquals(expected, bound, "a second call, reusing the key schedule");
  }
}

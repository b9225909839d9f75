package org.fedtrace.sim.metrics.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.fedtrace.sim.metrics.privacy.TekLinkage.LinkKey;
import org.fedtrace.sim.metrics.privacy.TekLinkage.Result;
import org.fedtrace.sim.metrics.privacy.TekLinkage.Unit;
import org.junit.jupiter.api.Test;

class TekLinkageTest {
  private static final double EPS = 1e-12;

  /** A key of {@code owner} for {@code day} whose metadata tag is {@code dsos}. */
  private static LinkKey key(int owner, int day, int dsos) {
    return new LinkKey(owner, day, dsos, dsos - 1);
  }

  @Test
  void aLonePublisherGivesNoAdvantage() {
    // One person's three days in one batch; the pool of each previous day is that one key.
    Unit batch = new Unit("BE", List.of(key(1, 0, -1), key(1, 1, 0), key(1, 2, 1)));

    Result r = TekLinkage.of(List.of(batch));

    assertEquals(2, r.linkableKeys());
    assertEquals(1.0, r.success(), EPS);
    assertEquals(1.0, r.chance(), EPS);
    assertEquals(0.0, r.advantage(), EPS);
  }

  @Test
  void separateBatchesLinkWhatChanceCannot() {
    // Two people, each alone in a batch of two days: the batch gives the link away, while a
    // blind guess picks one of the origin's two keys of day 0.
    Unit a = new Unit("BE", List.of(key(1, 0, 0), key(1, 1, 1)));
    Unit b = new Unit("BE", List.of(key(2, 0, 3), key(2, 1, 4)));

    Result r = TekLinkage.of(List.of(a, b));

    assertEquals(2, r.linkableKeys());
    assertEquals(1.0, r.success(), EPS);
    assertEquals(0.5, r.chance(), EPS);
    assertEquals(0.5, r.advantage(), EPS);
  }

  @Test
  void sameMetadataInOneBatchHidesTheLink() {
    // Both people had onset on the same day: their keys look alike, success falls to 1/2.
    Unit batch = new Unit("BE", List.of(key(1, 0, 0), key(1, 1, 1), key(2, 0, 0), key(2, 1, 1)));

    Result r = TekLinkage.of(List.of(batch));

    assertEquals(0.5, r.success(), EPS);
    assertEquals(0.5, r.chance(), EPS);
    assertEquals(0.0, r.advantage(), EPS);
  }

  @Test
  void paddingWithCopiedMetadataDilutesSuccess() {
    // Person 1 with days 0 and 1, plus three padding keys of day 0 with the same metadata; the
    // other origin's keys do not enter this origin's pool.
    Unit batch =
        new Unit(
            "BE", List.of(key(1, 0, 0), key(1, 1, 1), key(-1, 0, 0), key(-1, 0, 0), key(-1, 0, 0)));
    Unit other = new Unit("NL", List.of(key(5, 0, 0), key(5, 1, 1)));

    Result r = TekLinkage.of(List.of(batch, other));

    assertEquals(2, r.linkableKeys());
    assertEquals((0.25 + 1.0) / 2, r.success(), EPS);
    assertEquals((0.25 + 1.0) / 2, r.chance(), EPS);
  }

  @Test
  void predecessorInAnotherBatchIsMissed() {
    Unit first = new Unit("BE", List.of(key(1, 0, 0), key(2, 0, 0)));
    Unit second = new Unit("BE", List.of(key(1, 1, 1)));

    Result r = TekLinkage.of(List.of(first, second));

    assertEquals(1, r.linkableKeys());
    assertEquals(0.0, r.success(), EPS);
    assertEquals(0.5, r.chance(), EPS);
    assertEquals(-0.5, r.advantage(), EPS);
  }

  @Test
  void inconsistentMetadataIsNoCandidate() {
    // Person 2's day-0 key has a tag that cannot precede person 1's day-1 key.
    Unit batch = new Unit("BE", List.of(key(1, 0, 0), key(2, 0, 7), key(1, 1, 1)));

    Result r = TekLinkage.of(List.of(batch));

    assertEquals(1.0, r.success(), EPS);
    assertEquals(0.5, r.chance(), EPS);
  }

  @Test
  void stablePseudonymsLinkEverything() {
    Unit a = new Unit("BE", List.of(new LinkKey(1, 0, 1, 1), new LinkKey(1, 1, 1, 1)));
    Unit b = new Unit("BE", List.of(new LinkKey(2, 0, 2, 2), new LinkKey(2, 1, 2, 2)));
    Unit c = new Unit("BE", List.of(new LinkKey(3, 0, 3, 3), new LinkKey(3, 1, 3, 3)));

    Result r = TekLinkage.of(List.of(a, b, c));

    assertEquals(1.0, r.success(), EPS);
    assertEquals(1.0 / 3, r.chance(), EPS);
    assertEquals(2.0 / 3, r.advantage(), EPS);
  }

  @Test
  void nothingLinkableGivesZeros() {
    Unit batch = new Unit("BE", List.of(key(1, 3, 0), key(-1, 2, -1)));

    assertEquals(new Result(0, 0, 0, 0), TekLinkage.of(List.of(batch)));
  }

  @Test
  void aPredecessorWithAnyOfSeveralTagsIsACandidate() {
    // coarsened metadata: a key tagged 6 may follow a key tagged 2 or 6. Person 1's keys of day 0
    // and 1 (tags 2, 6) share the batch with a decoy's (-1) day-0 key tagged 6 and padding tagged
    // 4, which no key tagged 6 follows: two candidates.
    Unit batch =
        new Unit(
            "BE",
            List.of(
                new LinkKey(1, 0, 2, new long[] {0, 2}),
                new LinkKey(1, 1, 6, new long[] {2, 6}),
                new LinkKey(-1, 0, 6, new long[] {2, 6}),
                new LinkKey(-1, 0, 4, new long[] {6, 4}),
                new LinkKey(-1, 1, 6, new long[] {2, 6})));

    Result r = TekLinkage.of(List.of(batch));

    assertEquals(1, r.linkableKeys(), "decoy and padding keys are never linked themselves");
    assertEquals(0.5, r.success(), EPS);
    assertEquals(1.0 / 3, r.chance(), EPS);
  }
}

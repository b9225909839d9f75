package org.fedtrace.sim.metrics.privacy;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tek_linkage_advantage}: how much better than chance a curious node links one uploader's
 * daily keys across days, from batch membership and metadata.
 *
 * <p>The adversary receives every published unit (a batch; in the central scheme, one report). For
 * every real key {@code k} of person {@code p} for day {@code d} whose predecessor (p's key for day
 * {@code d - 1}) was published by the same origin, it guesses the predecessor uniformly among the
 * candidates: the keys of day {@code d - 1} in the same unit whose metadata is consistent with
 * {@code k} (their {@code tag} is one of {@code k}'s {@code predecessorTags}; for fedtrace keys:
 * same report type, days since onset one less, or with coarsened metadata a level the table of
 * {@link org.fedtrace.sim.devices.MetadataCoarsening} allows). Decoy uploads, like padding keys,
 * have no owner: a decoy key of day {@code d - 1} with consistent metadata is a candidate, so
 * decoys dilute success as padding does, and are never linked themselves. Its success for {@code k}
 * is {@code 1 / |candidates|} if the predecessor is a candidate, else 0. Chance for {@code k} is
 * {@code 1 / |pool|}, the pool being all keys of day {@code d - 1} that the same origin published
 * in any unit (a guess without batch or metadata). The advantage is mean success minus mean chance
 * over all such keys; 0 when there are none. Padding keys copy real metadata, so they join
 * candidate sets and dilute success.
 */
public final class TekLinkage {
  private TekLinkage() {}

  /** The metric over {@code units}. */
  public static Result of(List<Unit> units) {
    Map<String, Map<Integer, Integer>> pool = new HashMap<>();
    Set<Key> published = new HashSet<>();
    for (Unit u : units) {
      for (LinkKey k : u.keys()) {
        pool.computeIfAbsent(u.origin(), o -> new HashMap<>()).merge(k.day(), 1, Integer::sum);
        if (k.owner() >= 0) {
          published.add(new Key(u.origin(), k.owner(), k.day()));
        }
      }
    }
    double success = 0;
    double chance = 0;
    long linkable = 0;
    for (Unit u : units) {
      for (LinkKey k : u.keys()) {
        if (k.owner() < 0 || !published.contains(new Key(u.origin(), k.owner(), k.day() - 1))) {
          continue;
        }
        linkable++;
        chance += 1.0 / pool.get(u.origin()).get(k.day() - 1);
        success += guess(u, k);
      }
    }
    if (linkable == 0) {
      return new Result(0, 0, 0, 0);
    }
    return new Result(
        linkable, success / linkable, chance / linkable, (success - chance) / linkable);
  }

  private static double guess(Unit u, LinkKey k) {
    int candidates = 0;
    boolean truthIsCandidate = false;
    for (LinkKey c : u.keys()) {
      if (c.day() == k.day() - 1 && k.precededBy(c.tag())) {
        candidates++;
        truthIsCandidate |= c.owner() == k.owner();
      }
    }
    return truthIsCandidate ? 1.0 / candidates : 0;
  }

  private record Key(String origin, int owner, int day) {}

  /**
   * A published unit.
   *
   * @param origin the publishing country
   * @param keys its keys, padding included
   */
  public record Unit(String origin, List<LinkKey> keys) {
    /** Copies the list. */
    public Unit {
      keys = List.copyOf(keys);
    }
  }

  /**
   * A key as the adversary sees it, with its ground-truth owner.
   *
   * @param owner the person ({@code -1} for padding)
   * @param day the day of validity
   * @param tag what the adversary sees of the key's metadata, as a number
   * @param predecessorTags the tags the same person's key of the day before can have
   */
  public record LinkKey(int owner, int day, long tag, long[] predecessorTags) {
    /** A key whose predecessor has one possible tag. */
    public LinkKey(int owner, int day, long tag, long predecessorTag) {
      this(owner, day, tag, new long[] {predecessorTag});
    }

    /** Whether a key tagged {@code t} is consistent as this key's predecessor. */
    boolean precededBy(long t) {
      for (long p : predecessorTags) {
        if (p == t) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * The linkage.
   *
   * @param linkableKeys real keys whose predecessor was published
   * @param success mean success probability of the adversary
   * @param chance mean success probability of a blind guess
   * @param advantage success minus chance
   */
  public record Result(long linkableKeys, double success, double chance, double advantage) {}
}

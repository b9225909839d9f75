package org.fedtrace.sim;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.fedtrace.sim.epidemic.Epidemic;

/**
 * Exposure notifications as they happen: who was notified, when, and because of whose keys (ground
 * truth, looked up on the simulator's side from the matched key).
 */
public final class Notifications {
  private final int[] firstHour;
  private final BitSet matched = new BitSet();
  private final Map<Long, Integer> pairs = new HashMap<>();
  private final Listener listener;
  private long paddingMatches;

  /** No notifications yet, among {@code agents} people; nobody listens. */
  public Notifications(int agents) {
    this(agents, (agent, hour) -> {});
  }

  /** No notifications yet, among {@code agents} people; {@code listener} hears of each one. */
  public Notifications(int agents, Listener listener) {
    firstHour = new int[agents];
    Arrays.fill(firstHour, Epidemic.NEVER);
    this.listener = listener;
  }

  /** A matcher found an exposure of {@code agent} (notified or not). */
  public void recordMatch(int agent) {
    matched.set(agent);
  }

  /** A matcher found an exposure on a key nobody uploaded (a padding key). */
  public void recordPaddingMatch() {
    paddingMatches++;
  }

  /** Exposures found on keys nobody uploaded. */
  public long paddingMatches() {
    return paddingMatches;
  }

  /** {@code agent} is notified at {@code hour} because of {@code indexCase}'s key. */
  public void recordNotification(int agent, int indexCase, int hour) {
    firstHour[agent] = Math.min(firstHour[agent], hour);
    pairs.merge(pair(agent, indexCase), hour, Math::min);
    listener.notified(agent, hour);
  }

  private static long pair(int agent, int indexCase) {
    return ((long) agent << 32) | (indexCase & 0xffffffffL);
  }

  /** People notified at least once. */
  public BitSet notified() {
    BitSet out = new BitSet(firstHour.length);
    for (int a = 0; a < firstHour.length; a++) {
      if (firstHour[a] != Epidemic.NEVER) {
        out.set(a);
      }
    }
    return out;
  }

  /** People with at least one match, notified or not. */
  public BitSet matched() {
    return (BitSet) matched.clone();
  }

  /** Hour of {@code agent}'s first notification, or {@link Epidemic#NEVER}. */
  public int firstHour(int agent) {
    return firstHour[agent];
  }

  /** Visits every (notified person, index case, first hour) triple. */
  public void forEachPair(PairConsumer consumer) {
    pairs.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e ->
                consumer.accept(
                    (int) (e.getKey() >>> 32), (int) e.getKey().longValue(), e.getValue()));
  }

  /** Hears of every notification as it is recorded (the people notified react to it). */
  @FunctionalInterface
  public interface Listener {
    /** {@code agent} is notified at {@code hour}. */
    void notified(int agent, int hour);
  }

  /** Receives a notification pair. */
  @FunctionalInterface
  public interface PairConsumer {
    /** One pair: {@code agent} notified first at {@code hour} because of {@code indexCase}. */
    void accept(int agent, int indexCase, int hour);
  }
}

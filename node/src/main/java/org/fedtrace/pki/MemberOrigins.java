package org.fedtrace.pki;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The origin of each member (spec §26.2): the name its batches carry. A member that is the only one
 * of its country in the agreement has its country as origin ({@code DE}), as before 0.8.0; members
 * of a country with several have country, {@code -} and operator id ({@code US-ny-doh}).
 */
public final class MemberOrigins {
  private MemberOrigins() {}

  /**
   * The origin of {@code member} among {@code members}.
   *
   * @throws IllegalArgumentException if it is not one of them
   */
  public static String originOf(Collection<OperatorIdentity> members, OperatorIdentity member) {
    if (!members.contains(member)) {
      throw new IllegalArgumentException(member + " is not a member");
    }
    long sameCountry = members.stream().filter(m -> m.country().equals(member.country())).count();
    return sameCountry == 1 ? member.country() : member.country() + "-" + member.operatorId();
  }

  /** The origins of all {@code members}. */
  public static Set<String> origins(Collection<OperatorIdentity> members) {
    return members.stream().map(m -> originOf(members, m)).collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The country of a well-formed origin ({@code DE}, {@code US-ny-doh}): its first two letters.
   *
   * @throws IllegalArgumentException if {@code origin} is neither {@code CC} nor {@code CC-...}
   */
  public static String country(String origin) {
    if (origin.length() < 2 || origin.length() > 2 && origin.charAt(2) != '-') {
      throw new IllegalArgumentException("not an origin: '" + origin + "'");
    }
    return origin.substring(0, 2);
  }

  /** The country of a peer written {@code CC/operator-id} (transparency.md §3). */
  public static String countryOfPeer(String peer) {
    if (peer.length() < 4 || peer.charAt(2) != '/') {
      throw new IllegalArgumentException("not a peer CC/operator-id: '" + peer + "'");
    }
    return peer.substring(0, 2);
  }
}

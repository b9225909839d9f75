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

  /** The country of a well-formed origin: its first two letters. */
  public static String country(String origin) {
    return origin.substring(0, 2);
  }
}

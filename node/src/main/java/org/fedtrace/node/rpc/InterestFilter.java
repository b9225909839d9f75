package org.fedtrace.node.rpc;

import java.util.List;
import java.util.Set;
import org.fedtrace.rules.Countries;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.Recipient;

/**
 * What a puller or subscriber asked for (spec §25.4): its own country's batches too (R9.13,
 * R10.13), only some origins, only TRAVELLER batches. The filter selects whole batches, which stay
 * signed units; what it leaves out the cursor passes as it passes batches left out by R9.8.
 *
 * @param ownOrigin whether the caller's own country's batches are served too
 * @param origins the origins wanted, every origin when empty
 * @param travellersOnly whether only TRAVELLER batches are wanted
 */
record InterestFilter(boolean ownOrigin, Set<String> origins, boolean travellersOnly) {
  /** Most origins one filter may name. */
  static final int MAX_ORIGINS = 64;

  InterestFilter {
    origins = Set.copyOf(origins);
  }

  /**
   * R25.12: at most {@value #MAX_ORIGINS} origins, each two letters A..Z, strictly ascending; adds
   * one violation on {@code origins} to {@code out} when broken.
   */
  static void check(List<String> origins, List<RuleViolation.FieldViolation> out) {
    String problem = null;
    if (origins.size() > MAX_ORIGINS) {
      problem = "must name at most " + MAX_ORIGINS + " origins, got " + origins.size();
    } else {
      for (int i = 0; i < origins.size() && problem == null; i++) {
        if (!Countries.hasCodeSyntax(origins.get(i))) {
          problem = "entry " + i + " is not two letters A..Z";
        } else if (i > 0 && origins.get(i - 1).compareTo(origins.get(i)) >= 0) {
          problem = "must be strictly ascending; entry " + i + " is not";
        }
      }
    }
    if (problem != null) {
      out.add(new RuleViolation.FieldViolation("origins", Rule.ORIGINS_FILTER, problem));
    }
  }

  /** {@code served} narrowed by this filter. */
  Recipient apply(Recipient served) {
    return (ownOrigin ? served.withOwnOrigin() : served).filtered(origins, travellersOnly);
  }
}

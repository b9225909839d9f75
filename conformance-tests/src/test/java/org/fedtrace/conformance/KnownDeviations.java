package org.fedtrace.conformance;

import java.util.Map;

/**
 * Cases our node is known to fail: the spec and the node disagree, and the node's maintainers have
 * it on their list (see spec/conformance.md, "Known deviations of the reference node"). The
 * in-process run, and only it, asserts that each of these cases FAILS, so main stays green while
 * the deviation stands and the build breaks the day the node (or the spec) is fixed: then remove
 * the entry. Key: case method name; value: what the node does instead.
 */
final class KnownDeviations {
  static final Map<String, String> CASES = Map.of();

  private KnownDeviations() {}
}

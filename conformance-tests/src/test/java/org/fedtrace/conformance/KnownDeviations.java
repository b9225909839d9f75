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
  static final Map<String, String> CASES =
      Map.of(
          "R6_6_refusesClientCertificateWithoutIdentity",
          "fails the TLS handshake (client sees UNAVAILABLE) instead of answering UNAUTHENTICATED",
          "R9_3_servesForwardedBatchToItsSender",
          "leaves out batches received from the caller, though only its own origin may be",
          "R9_4_keepsPagesWithin4MiB",
          "fills pages by max_batches only: a page of three 1.6 MB batches is 4.9 MB",
          "R9_5_keepsRequestCursorWhenLeavingOutOwnBatches",
          "advances next_cursor over the caller's own batches it left out, returning none",
          "R20_3_attachesOneViolationPerViolation",
          "GetBatch and PullBatches report only their first violation instead of collecting",
          "R21_3_endsStreamsWhenDraining",
          "ends streams with 'R21.2: ...' instead of 'R21.3: ...' (code UNAVAILABLE is right)",
          "R21_7_endsStreamsAtSunset",
          "ends streams with 'R21.6: ...' instead of 'R21.7: ...' (code is right)");

  private KnownDeviations() {}
}

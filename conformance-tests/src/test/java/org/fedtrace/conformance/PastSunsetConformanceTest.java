package org.fedtrace.conformance;

import java.util.Set;

/**
 * The second pass of a remote run (spec/conformance.md §6.3), in process: our node on the kit's
 * past-sunset agreement, where the node no longer exchanges.
 */
class PastSunsetConformanceTest extends AgreementPassTest {
  PastSunsetConformanceTest() {
    super(
        Need.PAST_SUNSET,
        "past-sunset",
        root -> InProcessTarget.startPastSunset(root, Set.of()),
        Session::runsPastSunsetAgreement);
  }
}

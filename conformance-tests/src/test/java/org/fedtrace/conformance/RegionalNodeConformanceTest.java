package org.fedtrace.conformance;

import java.util.Set;

/**
 * The regional pass of a remote run (spec/conformance.md §6.4), in process: our node on the kit's
 * regional agreement, which lists a second member of its country (the kit's sibling), so that its
 * origin is DE-op-de.
 */
class RegionalNodeConformanceTest extends AgreementPassTest {
  RegionalNodeConformanceTest() {
    super(
        Need.REGIONAL_NODE,
        "regional",
        root -> InProcessTarget.startRegional(root, Set.of()),
        Session::runsRegionalAgreement);
  }
}

package org.fedtrace.conformance;

/**
 * What a case needs beyond the core RPCs: an optional feature of the node (spec §6.3, as listed in
 * GetNodeInfo.features), or something of the runner. A case whose needs are not met is skipped.
 */
public enum Need {
  /** The node lists the {@code subscribe} feature. */
  SUBSCRIBE("subscribe"),
  /** The node lists {@code upload}, and the kit has the node's backend and a health authority. */
  UPLOAD("upload"),
  /** The node lists {@code transparency-log}. */
  TRANSPARENCY_LOG("transparency-log"),
  /** The node lists {@code witnessing} (transparency.md §15). */
  WITNESSING("witnessing"),
  /** The node lists {@code notice}. */
  NOTICE("notice"),
  /**
   * The node lists {@code operator-matching} (it runs in operator-assisted mode), and the kit has
   * the node's backend.
   */
  OPERATOR_MATCHING("operator-matching"),
  /** The kit holds the agreement the node runs. */
  AGREEMENT(null),
  /**
   * The agreement the node runs, held by the kit, has the kit's sharing terms (spec §25.3): member
   * B may send the node only FEDERATE batches, and the node may send member A only FEDERATE batches
   * ({@code conformance kit --node}, spec 0.8.0 and later).
   */
  SHARING_TERMS(null),
  /**
   * The node runs the kit's past-sunset agreement (the second pass of a remote run); while it does,
   * only the cases with this need run.
   */
  PAST_SUNSET(null),
  /**
   * The kit holds regional members C and D, two members of one test country in the agreement the
   * node runs (spec §26.2; kits of spec 0.8.0 and later).
   */
  REGIONAL_MEMBERS(null),
  /**
   * The node runs the kit's regional agreement, which adds a second member of the node's country
   * (the regional pass of a remote run, spec/conformance.md §6.4); while it does, only the cases
   * with this need run.
   */
  REGIONAL_NODE(null),
  /** The runner can start nodes whose clock and lifecycle it controls (in-process only). */
  CONTROLLED_NODE(null),
  /**
   * The kit holds an auditor credential of the federation authority ({@code auditor}, kits of spec
   * 0.8.0 and later; spec/transparency.md §15.7).
   */
  AUDITOR_CREDENTIAL(null),
  /** The node's operator declared a rate limit. */
  RATE_LIMIT(null),
  /** The node's operator named where the node publishes key export files (spec §24.6). */
  EXPORTS(null),
  /** The node's operator gave the port of its public transparency endpoint. */
  PUBLIC_ENDPOINT(null);

  private final String feature;

  Need(String feature) {
    this.feature = feature;
  }

  /** The GetNodeInfo feature name, or null when this is not a node feature. */
  public String feature() {
    return feature;
  }
}

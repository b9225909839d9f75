package org.fedtrace.sim.federation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link FederationFactory} needs to set up the nodes of one simulation run.
 *
 * @param countries the member countries, ISO 3166-1 alpha-2, one node each, in scenario order (the
 *     order of a chain)
 * @param topology how the nodes are connected
 * @param hub the hub's country when {@code topology} is {@link Topology#HUB}; one of {@code
 *     countries}
 * @param batchMaxKeys a node publishes a batch as soon as this many own keys are pending
 * @param batchMaxAgeSeconds a node publishes pending own keys once the oldest has waited this long,
 *     if they come from at least {@code batchMinUploads} uploads
 * @param batchMinUploads uploads a batch published by age mixes at least (spec R21.14)
 * @param batchMaxHoldSeconds a node publishes pending own keys at the latest this long after the
 *     oldest arrived, however few uploads they come from
 * @param paddingMinKeys every published batch holds at least this many keys (random padding keys
 *     make up the difference)
 * @param retentionDays the agreement's retention of keys, in days
 * @param start the simulated time at which the run starts
 * @param seed the run's seed; an implementation may derive its randomness (padding, batch ids) from
 *     it so that runs repeat exactly
 * @param operatorMatching whether the nodes run operator-assisted matching (spec §15, {@code
 *     matching.mode: operator}) instead of device mode
 * @param notifyThreshold in operator-assisted matching, the risk score from which a node notifies
 *     an exposure ({@code matching.notifyThreshold}; a node takes only positive values, so 0 stands
 *     for the smallest positive one)
 * @param decoyUploads the nodes' {@code batching.decoyUploads} (spec R23.1; 1 adds no decoy); the
 *     in-memory federation adds no decoys
 */
public record FederationSpec(
    List<String> countries,
    Topology topology,
    String hub,
    int batchMaxKeys,
    long batchMaxAgeSeconds,
    int batchMinUploads,
    long batchMaxHoldSeconds,
    int paddingMinKeys,
    int retentionDays,
    Instant start,
    long seed,
    boolean operatorMatching,
    double notifyThreshold,
    int decoyUploads) {
  /** Validates the spec and copies the country list. */
  public FederationSpec {
    countries = List.copyOf(countries);
    if (countries.isEmpty()) {
      throw new IllegalArgumentException("a federation needs at least one country");
    }
    if (topology == Topology.HUB && !countries.contains(hub)) {
      throw new IllegalArgumentException("the hub " + hub + " is not a member country");
    }
    if (batchMaxKeys < 1
        || batchMaxAgeSeconds < 1
        || batchMinUploads < 1
        || paddingMinKeys < 0
        || retentionDays < 1) {
      throw new IllegalArgumentException("batching, padding and retention must be positive");
    }
    if (batchMaxHoldSeconds < batchMaxAgeSeconds) {
      throw new IllegalArgumentException("the batch hold must be at least the batch age");
    }
    if (!(notifyThreshold >= 0) || Double.isInfinite(notifyThreshold)) {
      throw new IllegalArgumentException("the notification threshold must be a finite score >= 0");
    }
  }

  /** A spec whose nodes add no decoy uploads. */
  public FederationSpec(
      List<String> countries,
      Topology topology,
      String hub,
      int batchMaxKeys,
      long batchMaxAgeSeconds,
      int batchMinUploads,
      long batchMaxHoldSeconds,
      int paddingMinKeys,
      int retentionDays,
      Instant start,
      long seed,
      boolean operatorMatching,
      double notifyThreshold) {
    this(
        countries,
        topology,
        hub,
        batchMaxKeys,
        batchMaxAgeSeconds,
        batchMinUploads,
        batchMaxHoldSeconds,
        paddingMinKeys,
        retentionDays,
        start,
        seed,
        operatorMatching,
        notifyThreshold,
        1);
  }

  /** The countries {@code country}'s node sends its batches (own and forwarded) to. */
  public List<String> neighbours(String country) {
    int i = countries.indexOf(country);
    List<String> out = new ArrayList<>();
    switch (topology) {
      case MESH -> countries.stream().filter(c -> !c.equals(country)).forEach(out::add);
      case HUB -> {
        if (country.equals(hub)) {
          countries.stream().filter(c -> !c.equals(country)).forEach(out::add);
        } else {
          out.add(hub);
        }
      }
      case CHAIN -> {
        if (i > 0) {
          out.add(countries.get(i - 1));
        }
        if (i < countries.size() - 1) {
          out.add(countries.get(i + 1));
        }
      }
      default -> throw new IllegalStateException("unknown topology " + topology);
    }
    return out;
  }
}

package org.fedtrace.node.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Instant;

/**
 * The node's Prometheus metrics, in a registry of its own (several nodes can share a JVM in the
 * simulator). Labels carry peers, outcomes and rule ids, never key material.
 */
public final class NodeMetrics {
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter batches =
      Counter.builder()
          .name("fedtrace_batches_total")
          .help("Batches handled, by peer, direction, outcome and refusal rule")
          .labelNames("peer", "direction", "outcome", "rule")
          .register(registry);
  private final Counter keys =
      Counter.builder()
          .name("fedtrace_keys_total")
          .help("Diagnosis keys handled, by peer, direction, outcome and refusal rule")
          .labelNames("peer", "direction", "outcome", "rule")
          .register(registry);
  private final Counter batchBytes =
      Counter.builder()
          .name("fedtrace_batch_bytes_total")
          .help("Serialized bytes of batches received from and delivered to peers")
          .labelNames("direction")
          .register(registry);
  private final Counter decoyUploads =
      Counter.builder()
          .name("fedtrace_decoy_uploads_total")
          .help("Decoy uploads added to the node's own batches (spec R23.1)")
          .register(registry);
  private final Histogram rpcSeconds =
      Histogram.builder()
          .name("fedtrace_rpc_duration_seconds")
          .help("Server-side latency of unary RPCs")
          .labelNames("method", "code")
          .register(registry);
  private final Gauge peerLastSync =
      Gauge.builder()
          .name("fedtrace_peer_last_sync_timestamp_seconds")
          .help(
              "Unix time of the last sign that the exchange with a peer works (pull: any message"
                  + " of the subscription, heartbeats included; push: a batch acknowledged, or"
                  + " nothing left to push), or of when the node began following the peer")
          .labelNames("peer", "direction")
          .register(registry);
  private final Counter handshakesRefused =
      Counter.builder()
          .name("fedtrace_tls_handshakes_refused_total")
          .help(
              "TLS handshakes refused for the peer's certificate, by which end presented it and"
                  + " why (expired, revoked, untrusted_issuer, wrong_purpose, no_identity, ...)")
          .labelNames("end", "reason")
          .register(registry);
  private final Counter witnessed =
      Counter.builder()
          .name("fedtrace_witness_checkpoints_total")
          .help(
              "Peers' checkpoints this node witnessed, by peer and outcome: cosigned, unchanged"
                  + " (cosigned before), or refused with the reason (rolled_back, forked,"
                  + " time_went_back, bad_signature, unreachable, cosignature_refused)")
          .labelNames("peer", "outcome")
          .register(registry);
  private final Gauge subscriptions =
      Gauge.builder()
          .name("fedtrace_subscriptions")
          .help("Live SubscribeBatches streams served")
          .register(registry);

  private final Counter observations =
      Counter.builder()
          .name("fedtrace_operator_observations_total")
          .help("Observations deposited for operator-assisted matching, stored or duplicate")
          .labelNames("outcome")
          .register(registry);
  private final Gauge observationsHeld =
      Gauge.builder()
          .name("fedtrace_operator_observations_held")
          .help("Observations held for operator-assisted matching")
          .register(registry);
  private final Gauge matchLag =
      Gauge.builder()
          .name("fedtrace_operator_match_lag_positions")
          .help(
              "Store positions committed but not yet matched against deposits (0 when caught up;"
                  + " growing: matching fails or falls behind)")
          .register(registry);
  private final Counter batchesMatched =
      Counter.builder()
          .name("fedtrace_operator_batches_matched_total")
          .help("Stored batches matched against deposited observations")
          .register(registry);
  private final Counter rpisDerived =
      Counter.builder()
          .name("fedtrace_operator_rpis_matched_total")
          .help("Rolling proximity identifiers derived and looked up by operator matching")
          .register(registry);
  private final Counter exposures =
      Counter.builder()
          .name("fedtrace_operator_exposures_total")
          .help("Exposures found by operator matching, by whether they reach the threshold")
          .labelNames("notified")
          .register(registry);
  private final Histogram matchSeconds =
      Histogram.builder()
          .name("fedtrace_operator_match_duration_seconds")
          .help("Time to match one stored batch against the deposited observations")
          .register(registry);

  /** The registry to expose. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Counts a handshake refused for the certificate {@code end} presented. */
  public void handshakeRefused(String end, String reason) {
    handshakesRefused.labelValues(end, reason).inc();
  }

  /** Counts a peer's checkpoint this node witnessed, and the outcome. */
  public void witnessed(String peer, String outcome) {
    witnessed.labelValues(peer, outcome).inc();
  }

  /** How many of {@code peer}'s checkpoints ended with {@code outcome}. */
  public double witnessedCount(String peer, String outcome) {
    return witnessed.labelValues(peer, outcome).get();
  }

  /** Counts a batch and its keys. */
  public void batch(String peer, String direction, String outcome, String rule, long keyCount) {
    batches.labelValues(peer, direction, outcome, rule).inc();
    keys.labelValues(peer, direction, outcome, rule).inc(keyCount);
  }

  /** Counts the serialized size of a batch received ("in") or delivered ("out"). */
  public void batchBytes(String direction, long bytes) {
    batchBytes.labelValues(direction).inc(bytes);
  }

  /** Counts the decoy uploads added to one of the node's own batches. */
  public void decoyUploads(int count) {
    decoyUploads.inc(count);
  }

  /** Decoy uploads added to the node's own batches so far. */
  public long decoyUploadsTotal() {
    return (long) decoyUploads.get();
  }

  /** Batch bytes received plus delivered so far. */
  public long batchBytesTotal() {
    return (long) (batchBytes.labelValues("in").get() + batchBytes.labelValues("out").get());
  }

  /** Records the latency of one RPC. */
  public void rpc(String method, String code, double seconds) {
    rpcSeconds.labelValues(method, code).observe(seconds);
  }

  /**
   * Records that the exchange with {@code peer} in {@code direction} ("pull" or "push") worked at
   * {@code when}, or began then.
   */
  public void peerSynced(String peer, String direction, Instant when) {
    peerLastSync.labelValues(peer, direction).set(when.toEpochMilli() / 1000.0);
  }

  /** Drops a peer the node no longer exchanges with, so that it does not look stalled. */
  public void peerUnfollowed(String peer, String direction) {
    peerLastSync.remove(peer, direction);
  }

  /** The last {@link #peerSynced} time of {@code peer} in {@code direction}, in Unix seconds. */
  public double peerLastSync(String peer, String direction) {
    return peerLastSync.labelValues(peer, direction).get();
  }

  /** Tracks the number of live subscriptions. */
  public void subscriptionDelta(int delta) {
    subscriptions.inc(delta);
  }

  /** The number of live subscriptions this node serves, for tests. */
  public double subscriptions() {
    return subscriptions.get();
  }

  /** Counts deposited observations: {@code stored} new ones and {@code duplicates}. */
  public void observationsDeposited(long stored, long duplicates) {
    observations.labelValues("stored").inc(stored);
    observations.labelValues("duplicate").inc(duplicates);
  }

  /** Sets the number of observations held for matching. */
  public void observationsHeld(long n) {
    observationsHeld.set(n);
  }

  /** Sets how many store positions the matcher is behind the newest stored batch. */
  public void matchLag(long positions) {
    matchLag.set(positions);
  }

  /** How many store positions the matcher was behind when it last looked. */
  public double matchLag() {
    return matchLag.get();
  }

  /** Counts one matched batch: its RPIs, the exposures found, the time taken. */
  public void batchMatched(long rpis, long exposuresFound, long notified, double seconds) {
    batchesMatched.inc();
    keysMatched(rpis, exposuresFound, notified, seconds);
  }

  /**
   * Operator matching matched keys that came in no batch (the node's domestic-only keys, R25.18):
   * counted as a batch's keys are, but not as a batch.
   */
  public void keysMatched(long rpis, long exposuresFound, long notified, double seconds) {
    rpisDerived.inc(rpis);
    exposures.labelValues("true").inc(notified);
    exposures.labelValues("false").inc(exposuresFound - notified);
    matchSeconds.observe(seconds);
  }

  /** Stored batches matched so far, for tests. */
  public double batchesMatched() {
    return batchesMatched.get();
  }

  /** Current value of the batch counter, for tests. */
  public double batchCount(String peer, String direction, String outcome, String rule) {
    return batches.labelValues(peer, direction, outcome, rule).get();
  }
}

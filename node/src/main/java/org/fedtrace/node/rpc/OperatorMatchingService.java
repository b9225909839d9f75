package org.fedtrace.node.rpc;

import com.google.protobuf.ByteString;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.node.operator.ExposureFinder;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.IntervalRange;
import org.fedtrace.proto.v1.Observation;
import org.fedtrace.proto.v1.OperatorMatchingGrpc;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.OperatorData;
import org.fedtrace.transport.Caller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code fedtrace.v1.OperatorMatching} service in operator mode (spec §15): like the Upload
 * service, the home side of the node, callable only by the operator's own backend. It checks
 * deposits and hands them to the {@link ExposureFinder}, and answers the exposures it found. The
 * node keeps only the SHA-256 of each device key (R15.25).
 */
public final class OperatorMatchingService extends OperatorMatchingGrpc.OperatorMatchingImplBase {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorMatchingService.class);

  /** Most observations one deposit may hold (R15.4). */
  static final int MAX_OBSERVATIONS = 10_000;

  /** Longest observation, in seconds: one interval (R15.8). */
  static final int MAX_DURATION_SECONDS = 600;

  /** Largest attenuation, in dB (R15.9). */
  static final int MAX_ATTENUATION_DB = 255;

  private static final int DEVICE_KEY_LENGTH = 16;
  private static final int RPI_LENGTH = 16;

  private final ExposureFinder finder;
  private final OperatorIdentity self;
  private final int retentionDays;
  private final long maxPerDevice;
  private final Clock clock;

  /**
   * @param self the node's identity: only its own operator's backend may call (R15.1, R26.15)
   * @param retentionDays the agreement's retention: older observations are refused (R15.7)
   * @param maxPerDevice most observations held per device (R15.12)
   */
  public OperatorMatchingService(
      ExposureFinder finder,
      OperatorIdentity self,
      int retentionDays,
      long maxPerDevice,
      Clock clock) {
    this.finder = finder;
    this.self = self;
    this.retentionDays = retentionDays;
    this.maxPerDevice = maxPerDevice;
    this.clock = clock;
  }

  @Override
  public void depositObservations(
      DepositObservationsRequest request, StreamObserver<DepositObservationsResponse> observer) {
    Replies.send(observer, deposit(request));
  }

  @Override
  public void getExposures(
      GetExposuresRequest request, StreamObserver<GetExposuresResponse> observer) {
    Replies.send(observer, exposures(request));
  }

  /**
   * R15.1, R26.15: only the node's own operator, not another member of its country (state and rate
   * limit were checked before).
   */
  private OperatorIdentity admit() {
    OperatorIdentity peer = Caller.current();
    if (!peer.country().equals(self.country())) {
      throw new RuleViolation(
          Rule.MATCHING_CALLER_COUNTRY,
          "operator matching serves only this node's own country " + self.country());
    }
    if (!peer.equals(self)) {
      throw new RuleViolation(
          Rule.MATCHING_CALLER_MEMBER,
          "operator matching serves only this member's own backend " + self);
    }
    return peer;
  }

  private DepositObservationsResponse deposit(DepositObservationsRequest r) {
    final OperatorIdentity peer = admit();
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    checkDeviceKey(r.getDeviceKey(), bad);
    int n = r.getObservationsCount();
    if (n == 0 || n > MAX_OBSERVATIONS) {
      bad.add(
          new RuleViolation.FieldViolation(
              "observations",
              Rule.OBSERVATION_COUNT,
              "must hold 1.." + MAX_OBSERVATIONS + " observations, got " + n));
    } else {
      checkObservations(r.getObservationsList(), bad);
    }
    if (BatchRules.hasUnknownFields(r)) {
      bad.add(
          new RuleViolation.FieldViolation(
              "", Rule.MATCHING_UNKNOWN_FIELDS, "the request carries fields unknown to v1"));
    }
    BatchRules.throwIfAny(bad);
    List<OperatorData.Observed> observed = new ArrayList<>(n);
    for (Observation o : r.getObservationsList()) {
      observed.add(
          new OperatorData.Observed(
              o.getRpi().toByteArray(),
              o.getIntervalNumber(),
              o.getDurationSeconds(),
              o.getAttenuationDb()));
    }
    OperatorData.Deposit d =
        finder.deposit(Sha256.hash(r.getDeviceKey().toByteArray()), observed, maxPerDevice);
    LOG.debug(
        "event=observations_deposited stored={} duplicates={} caller={}",
        d.stored().size(),
        d.duplicates(),
        peer);
    return DepositObservationsResponse.newBuilder()
        .setStoredObservations(d.stored().size())
        .setDuplicateObservations(d.duplicates())
        .build();
  }

  private static void checkDeviceKey(ByteString key, List<RuleViolation.FieldViolation> out) {
    if (key.size() != DEVICE_KEY_LENGTH) {
      out.add(
          new RuleViolation.FieldViolation(
              "device_key", Rule.DEVICE_KEY_LENGTH, "must be 16 bytes, got " + key.size()));
    }
  }

  /** R15.5–R15.11 for each observation, in field order. */
  private void checkObservations(
      List<Observation> observations, List<RuleViolation.FieldViolation> out) {
    long now = clock.instant().getEpochSecond();
    long skewedInterval = (now + BatchRules.CLOCK_SKEW.getSeconds()) / BatchRules.INTERVAL_SECONDS;
    long windowStart = BatchRules.windowStart(now, retentionDays);
    Set<ByteString> seen = new HashSet<>();
    for (int i = 0; i < observations.size(); i++) {
      Observation o = observations.get(i);
      String at = "observations[" + i + "]";
      long interval = Integer.toUnsignedLong(o.getIntervalNumber());
      if (o.getRpi().size() != RPI_LENGTH) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".rpi",
                Rule.OBSERVATION_RPI_LENGTH,
                "must be 16 bytes, got " + o.getRpi().size()));
      } else if (!seen.add(o.getRpi().concat(ByteString.copyFrom(intervalBytes(interval))))) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".rpi",
                Rule.REPEATED_OBSERVATION,
                "repeats an earlier observation of the same interval"));
      }
      if (interval > skewedInterval) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".interval_number", Rule.OBSERVATION_IN_FUTURE, "is in the future"));
      } else if (interval < windowStart) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".interval_number",
                Rule.OBSERVATION_PAST_RETENTION,
                "is before the retention window"));
      }
      long duration = Integer.toUnsignedLong(o.getDurationSeconds());
      if (duration < 1 || duration > MAX_DURATION_SECONDS) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".duration_seconds",
                Rule.OBSERVATION_DURATION_RANGE,
                "must be in 1.." + MAX_DURATION_SECONDS + ", got " + duration));
      }
      long attenuation = Integer.toUnsignedLong(o.getAttenuationDb());
      if (attenuation > MAX_ATTENUATION_DB) {
        out.add(
            new RuleViolation.FieldViolation(
                at + ".attenuation_db",
                Rule.OBSERVATION_ATTENUATION_RANGE,
                "must be in 0.." + MAX_ATTENUATION_DB + ", got " + attenuation));
      }
      if (BatchRules.hasUnknownFields(o)) {
        out.add(
            new RuleViolation.FieldViolation(
                at, Rule.MATCHING_UNKNOWN_FIELDS, "carries fields unknown to v1"));
      }
    }
  }

  private static byte[] intervalBytes(long interval) {
    return java.nio.ByteBuffer.allocate(8).putLong(interval).array();
  }

  private GetExposuresResponse exposures(GetExposuresRequest r) {
    admit();
    List<RuleViolation.FieldViolation> bad = new ArrayList<>();
    checkDeviceKey(r.getDeviceKey(), bad);
    if (BatchRules.hasUnknownFields(r)) {
      bad.add(
          new RuleViolation.FieldViolation(
              "", Rule.MATCHING_UNKNOWN_FIELDS, "the request carries fields unknown to v1"));
    }
    BatchRules.throwIfAny(bad);
    GetExposuresResponse.Builder out =
        GetExposuresResponse.newBuilder().setNotifyThreshold(finder.threshold());
    for (OperatorData.ExposureRow e :
        finder.exposures(Sha256.hash(r.getDeviceKey().toByteArray()))) {
      Exposure.Builder x =
          Exposure.newBuilder()
              .setOrigin(e.key().origin())
              .setDurationSeconds((int) Math.min(e.durationSeconds(), 0xFFFF_FFFFL))
              .setRiskScore(e.riskScore())
              // R15.20: against the threshold answered now, even if it changed since the match
              .setNotified(e.riskScore() >= finder.threshold())
              .setMatchedUnixSeconds(e.matchedUnixSeconds());
      int[] ranges = e.intervalRanges();
      for (int i = 0; i < ranges.length; i += 2) {
        x.addIntervals(
            IntervalRange.newBuilder().setFirstInterval(ranges[i]).setLastInterval(ranges[i + 1]));
      }
      out.addExposures(x);
    }
    return out.build();
  }

  /** Device mode: every RPC of the service answers UNIMPLEMENTED (R6.17). */
  public static final class NotOffered extends OperatorMatchingGrpc.OperatorMatchingImplBase {
    @Override
    public void depositObservations(
        DepositObservationsRequest request, StreamObserver<DepositObservationsResponse> observer) {
      throw refusal();
    }

    @Override
    public void getExposures(
        GetExposuresRequest request, StreamObserver<GetExposuresResponse> observer) {
      throw refusal();
    }

    private static RuleViolation refusal() {
      return new RuleViolation(
          Rule.FEATURE_NOT_OFFERED,
          "the node runs in device mode; operator-matching is not offered");
    }
  }
}

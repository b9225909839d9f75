package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.Observation;

/**
 * Spec §15, the OperatorMatching service's door and its deposits: who may call it and until when
 * (R15.1, R15.2), what a DepositObservations or GetExposures request must hold (R15.3–R15.11), and
 * how a deposit is acknowledged (R15.13, R15.14). Matching itself is in {@link ExposureCases}.
 */
public final class DepositCases extends OperatorMatchingCaseBase {
  public DepositCases(Session s) {
    super(s);
  }

  private void invalidAt(String rule, String field, DepositObservationsRequest r) {
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            rule,
            () -> s.operatorMatching(backend()).depositObservations(r))
        .hasField(field, rule);
  }

  /** A deposit of one observation edited by {@code edit}. */
  private DepositObservationsRequest one(UnaryOperator<Observation.Builder> e) {
    return deposit(batches().random16(), List.of(e.apply(valid().toBuilder()).build()));
  }

  /**
   * R15.1: members A and B (other countries than the node's) depositing a valid observation and
   * asking for a device's exposures: PERMISSION_DENIED by R15.1. When it fails: a foreign operator
   * can deposit at, or read the exposures of, another country's node.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_1_refusesCallerOfOtherCountry() {
    for (Credential caller : List.of(a().tls(), b().tls())) {
      Expect.refused(
          Status.Code.PERMISSION_DENIED,
          "R15.1",
          () ->
              s.operatorMatching(caller)
                  .depositObservations(deposit(batches().random16(), List.of(valid()))));
      Expect.refused(
          Status.Code.PERMISSION_DENIED,
          "R15.1",
          () -> s.operatorMatching(caller).getExposures(ask(batches().random16())));
    }
  }

  /**
   * R15.2 (controlled node): an hour past the sunset instant, DepositObservations and GetExposures
   * as the backend: FAILED_PRECONDITION by R15.2. When it fails: operator matching outlives the
   * agreement.
   */
  @Needs({Need.OPERATOR_MATCHING, Need.CONTROLLED_NODE})
  public void R15_2_refusesPastSunset() throws Exception {
    try (ControlledNodes.ControlledNode node = controlled();
        Session cs = new Session(node.target())) {
      DepositCases c = new DepositCases(cs);
      ByteString device = cs.batches().random16();
      c.deposited(deposit(device, List.of(c.valid())));
      Instant sunset =
          LocalDate.parse(cs.info().getSunsetDate())
              .plusDays(1)
              .atStartOfDay(ZoneOffset.UTC)
              .toInstant();
      node.advanceClock(Duration.between(Instant.now(), sunset).plusHours(1));
      Expect.refused(
          Status.Code.FAILED_PRECONDITION,
          "R15.2",
          () -> cs.operatorMatching(c.backend()).getExposures(ask(device)));
      Expect.refused(
          Status.Code.FAILED_PRECONDITION,
          "R15.2",
          () ->
              cs.operatorMatching(c.backend())
                  .depositObservations(deposit(device, List.of(c.valid()))));
    }
  }

  /**
   * R15.3: a deposit and a GetExposures whose device_key has 0, 15 and 17 bytes: INVALID_ARGUMENT
   * by R15.3 at {@code device_key}. When it fails: device keys of other lengths (a phone number, a
   * subscriber id) are accepted.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_3_refusesDeviceKeyNot16Bytes() {
    for (int length : new int[] {0, 15, 17}) {
      ByteString key = batches().randomBytes(length);
      invalidAt("R15.3", "device_key", deposit(key, List.of(valid())));
      Expect.refused(
              Status.Code.INVALID_ARGUMENT,
              "R15.3",
              () -> s.operatorMatching(backend()).getExposures(ask(key)))
          .hasField("device_key", "R15.3");
    }
  }

  /**
   * R15.4: a deposit of no observation, and one of 10,001: INVALID_ARGUMENT by R15.4 at {@code
   * observations}. When it fails: empty or unbounded deposits are accepted.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_4_refusesNoneOrMoreThan10000Observations() {
    invalidAt("R15.4", "observations", deposit(batches().random16(), List.of()));
    List<Observation> many = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      many.add(valid());
    }
    invalidAt("R15.4", "observations", deposit(batches().random16(), many));
  }

  /**
   * R15.5: an observation whose rpi has 15 and 17 bytes: INVALID_ARGUMENT by R15.5 at {@code
   * observations[0].rpi}. When it fails: the node stores identifiers that no key can yield.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_5_refusesRpiNot16Bytes() {
    for (int length : new int[] {15, 17}) {
      invalidAt("R15.5", "observations[0].rpi", one(o -> o.setRpi(batches().randomBytes(length))));
    }
  }

  /**
   * R15.6: an observation heard an hour in the future: INVALID_ARGUMENT by R15.6 at {@code
   * observations[0].interval_number}. When it fails: the node accepts observations from the future.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_6_refusesObservationInFuture() {
    int future = (int) (batches().nowInterval() + 6);
    invalidAt("R15.6", "observations[0].interval_number", one(o -> o.setIntervalNumber(future)));
  }

  /**
   * R15.7: an observation heard an hour before the retention window: INVALID_ARGUMENT by R15.7 at
   * {@code observations[0].interval_number}. When it fails: the node takes observations it must
   * already have deleted (R15.22).
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_7_refusesObservationPastRetention() {
    int old = (int) (batches().nowInterval() - s.info().getRetentionDays() * 144L - 6);
    invalidAt("R15.7", "observations[0].interval_number", one(o -> o.setIntervalNumber(old)));
  }

  /**
   * R15.8: observations of 0 and 601 seconds: INVALID_ARGUMENT by R15.8 at {@code
   * observations[0].duration_seconds}. When it fails: durations that no interval can hold inflate
   * scores.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_8_refusesDurationOutside1To600() {
    for (int seconds : new int[] {0, 601}) {
      invalidAt(
          "R15.8", "observations[0].duration_seconds", one(o -> o.setDurationSeconds(seconds)));
    }
  }

  /**
   * R15.9: an observation of 256 dB: INVALID_ARGUMENT by R15.9 at {@code
   * observations[0].attenuation_db}. When it fails: out-of-range attenuations reach the score.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_9_refusesAttenuationAbove255() {
    invalidAt("R15.9", "observations[0].attenuation_db", one(o -> o.setAttenuationDb(256)));
  }

  /**
   * R15.10: a deposit of the same rpi heard in the same interval twice (other durations):
   * INVALID_ARGUMENT by R15.10 at {@code observations[1].rpi}. When it fails: one sighting can be
   * counted twice in a score.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_10_refusesRepeatedObservation() {
    Observation o = valid();
    invalidAt(
        "R15.10",
        "observations[1].rpi",
        deposit(batches().random16(), List.of(o, o.toBuilder().setDurationSeconds(60).build())));
  }

  /**
   * R15.11: an unknown field in a deposit, in an observation and in a GetExposures request:
   * INVALID_ARGUMENT by R15.11 at the empty path, {@code observations[0]} and the empty path. When
   * it fails: data the node does not understand rides along.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_11_refusesUnknownFields() {
    invalidAt(
        "R15.11",
        "",
        deposit(batches().random16(), List.of(valid())).toBuilder()
            .setUnknownFields(unknownField())
            .build());
    invalidAt(
        "R15.11",
        "observations[0]",
        deposit(
            batches().random16(),
            List.of(valid().toBuilder().setUnknownFields(unknownField()).build())));
    Expect.refused(
            Status.Code.INVALID_ARGUMENT,
            "R15.11",
            () ->
                s.operatorMatching(backend())
                    .getExposures(
                        ask(batches().random16()).toBuilder()
                            .setUnknownFields(unknownField())
                            .build()))
        .hasField("", "R15.11");
  }

  /**
   * R15.13: a deposit of three new observations answers OK with stored_observations 3 and
   * duplicate_observations 0. When it fails: the node miscounts what it stored.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_13_acknowledgesStoredObservations() {
    DepositObservationsResponse r =
        deposited(deposit(batches().random16(), List.of(valid(), valid(), valid())));
    Expect.equal(3, r.getStoredObservations(), "R15.13 stored_observations");
    Expect.equal(0, r.getDuplicateObservations(), "R15.13 duplicate_observations");
  }

  /**
   * R15.14: the same deposit of three observations sent again answers stored 0, duplicates 3; a
   * deposit of two of them and a new one answers stored 1, duplicates 2; the same observations for
   * another device key are new. When it fails: a retried deposit is counted twice in scores.
   */
  @Needs(Need.OPERATOR_MATCHING)
  public void R15_14_countsHeldObservationsAsDuplicates() {
    ByteString device = batches().random16();
    List<Observation> three = List.of(valid(), valid(), valid());
    deposited(deposit(device, three));
    DepositObservationsResponse again = deposited(deposit(device, three));
    Expect.equal(0, again.getStoredObservations(), "R15.14 stored_observations of a retry");
    Expect.equal(3, again.getDuplicateObservations(), "R15.14 duplicate_observations of a retry");
    DepositObservationsResponse mixed =
        deposited(deposit(device, List.of(three.get(0), valid(), three.get(2))));
    Expect.equal(1, mixed.getStoredObservations(), "R15.14 stored_observations, one new");
    Expect.equal(2, mixed.getDuplicateObservations(), "R15.14 duplicate_observations, two held");
    Expect.equal(
        3,
        deposited(deposit(batches().random16(), three)).getStoredObservations(),
        "R15.14 stored_observations of the same observations for another device");
  }
}

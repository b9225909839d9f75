package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.fedtrace.conformance.ControlledNodes;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Rpis;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.DepositObservationsResponse;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.Observation;

/**
 * What the cases of spec §15, the OperatorMatching service (feature {@code operator-matching},
 * rules R15), share. The suite plays the operator's backend relaying devices: it deposits what a
 * device heard of a key's RPIs (derived with its own code, {@link Rpis}), publishes the key in a
 * batch of member A, and asks for the device's exposures until the node has matched the batch.
 */
abstract class OperatorMatchingCaseBase extends CaseBase {
  /** How long a case waits for the node to match a batch it stored. */
  static final Duration MATCH_WAIT = Duration.ofSeconds(60);

  /** Attenuation of a near observation: full weight in the risk model of §15.2. */
  static final int NEAR_DB = 50;

  /** Pause between two asks while waiting. */
  private static final Duration POLL = Duration.ofMillis(100);

  OperatorMatchingCaseBase(Session s) {
    super(s);
  }

  /** The node's own operator backend, the only caller §15 admits. */
  Credential backend() {
    return s.kit().backend().orElseThrow();
  }

  static DepositObservationsRequest deposit(ByteString device, List<Observation> obs) {
    return DepositObservationsRequest.newBuilder()
        .setDeviceKey(device)
        .addAllObservations(obs)
        .build();
  }

  static GetExposuresRequest ask(ByteString device) {
    return GetExposuresRequest.newBuilder().setDeviceKey(device).build();
  }

  /** An observation of some RPI heard an hour ago for 5 minutes, near: valid. */
  Observation valid() {
    return Observation.newBuilder()
        .setRpi(batches().random16())
        .setIntervalNumber((int) (batches().nowInterval() - 6))
        .setDurationSeconds(300)
        .setAttenuationDb(NEAR_DB)
        .build();
  }

  DepositObservationsResponse deposited(DepositObservationsRequest r) {
    return Expect.succeeds(
        "DepositObservations of valid observations",
        () -> s.operatorMatching(backend()).depositObservations(r));
  }

  /**
   * An observation of {@code key}'s {@code RPI_j}, heard {@code offset} intervals after its own
   * interval {@code s + j}.
   */
  static Observation heard(DiagnosisKey key, int j, int offset, int seconds, int db) {
    long enin = Integer.toUnsignedLong(key.getRollingStartIntervalNumber()) + j;
    return Observation.newBuilder()
        .setRpi(ByteString.copyFrom(Rpis.rpi(key.getKeyData().toByteArray(), enin)))
        .setIntervalNumber((int) (enin + offset))
        .setDurationSeconds(seconds)
        .setAttenuationDb(db)
        .build();
  }

  GetExposuresResponse exposures(ByteString device) {
    return Expect.succeeds(
        "GetExposures as the backend",
        () -> s.operatorMatching(backend()).getExposures(ask(device)));
  }

  /**
   * Asks for {@code device}'s exposures until {@code done} holds, at most {@link #MATCH_WAIT} (the
   * node matches in the background after it stored a batch).
   */
  GetExposuresResponse awaitExposures(
      ByteString device, Predicate<GetExposuresResponse> done, String what) {
    long until = System.nanoTime() + MATCH_WAIT.toNanos();
    while (true) {
      GetExposuresResponse r = exposures(device);
      if (done.test(r)) {
        return r;
      }
      if (System.nanoTime() > until) {
        throw new AssertionError(
            "R15.16: the node did not answer "
                + what
                + " within "
                + MATCH_WAIT.toSeconds()
                + " s of storing the batch; it answered "
                + r.getExposuresCount()
                + " exposures");
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + what, e);
      }
    }
  }

  ControlledNodes.ControlledNode controlled() throws Exception {
    return s.target().controlledNodes().orElseThrow().start();
  }
}

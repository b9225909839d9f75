package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.GetExposuresResponse;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;

/**
 * Spec §25.6 in operator-assisted mode: the node matches the domestic-only keys its own backend
 * uploads (R25.18, R25.19). The suite plays the backend twice: it deposits what a device heard of a
 * key, then uploads the key without consent to federate, and asks for the device's exposures.
 */
public final class DomesticMatchingCases extends OperatorMatchingCaseBase {
  public DomesticMatchingCases(Session s) {
    super(s);
  }

  /**
   * R25.18: the backend deposits a device's observations of two of a key's RPIs (5 minutes each,
   * near), then uploads the key with {@code sharing} absent (domestic-only, R25.1); GetExposures
   * answers, within 60 s, exactly one exposure, of interval run {@code s+10..s+11} and 600 s. When
   * it fails: the node matches only keys that came in batches, so a person who declined federation
   * warns nobody at home in operator-assisted mode.
   */
  @Needs({Need.UPLOAD, Need.OPERATOR_MATCHING})
  public void R25_18_matchesDomesticOnlyKeysAtHome() {
    Scenario m = scenario();
    Expect.equal(1, m.answer().getExposuresCount(), "R25.18 exposures of the device");
    Exposure e = m.answer().getExposures(0);
    long st = Integer.toUnsignedLong(m.key().getRollingStartIntervalNumber());
    Expect.equal(1, e.getIntervalsCount(), "R25.18 interval runs");
    Expect.equal(
        st + 10, Integer.toUnsignedLong(e.getIntervals(0).getFirstInterval()), "R25.18 first");
    Expect.equal(
        st + 11, Integer.toUnsignedLong(e.getIntervals(0).getLastInterval()), "R25.18 last");
    Expect.equal(600L, Integer.toUnsignedLong(e.getDurationSeconds()), "R25.18 duration");
  }

  /**
   * R25.19: in the scenario of R25.18, the exposure's {@code origin} is the node's own: its
   * country, or its member origin {@code CC-operator-id} when its country has several members
   * (§26.2). When it fails: the node names an origin it never received the key from.
   */
  @Needs({Need.UPLOAD, Need.OPERATOR_MATCHING})
  public void R25_19_namesItsOwnOrigin() {
    Scenario m = scenario();
    Expect.equal(1, m.answer().getExposuresCount(), "R25.18 exposures of the device");
    String origin = m.answer().getExposures(0).getOrigin();
    String country = s.info().getNode().getCountry();
    String member = country + "-" + s.info().getNode().getOperatorId();
    Expect.check(
        origin.equals(country) || origin.equals(member),
        "R25.19: the exposure's origin is '" + origin + "', not the node's own " + country);
  }

  private record Scenario(DiagnosisKey key, GetExposuresResponse answer) {}

  private Scenario scenario() {
    return s.shared("domestic-operator-matching", this::runScenario);
  }

  private Scenario runScenario() {
    DiagnosisKey key = batches().keys(1).get(0);
    ByteString device = batches().random16();
    deposited(
        deposit(device, List.of(heard(key, 10, 0, 300, NEAR_DB), heard(key, 11, 0, 300, NEAR_DB))));
    List<DiagnosisKey> keys = List.of(key);
    UploadDiagnosisKeysRequest upload =
        UploadDiagnosisKeysRequest.newBuilder() // sharing absent: domestic-only (R25.1)
            .addAllKeys(keys)
            .setAuthorization(new UploadCases(s).authorization(keys, a -> a))
            .build();
    Expect.succeeds(
        "UploadDiagnosisKeys of a domestic-only key",
        () -> s.upload(backend()).uploadDiagnosisKeys(upload));
    return new Scenario(
        key,
        awaitExposures(device, r -> r.getExposuresCount() > 0, "an exposure to a domestic key"));
  }
}

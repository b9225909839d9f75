package org.fedtrace.conformance.cases;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.Slow;
import org.fedtrace.conformance.kit.Identity;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.proto.v1.PublishBatchRequest;
import org.fedtrace.proto.v1.PublishBatchResponse;

/** Spec §7: what GetNodeInfo answers. */
public final class NodeInfoCases extends CaseBase {
  private static final Set<String> FEATURES =
      Set.of(
          "subscribe", "upload", "transparency-log", "notice", "operator-matching", "witnessing");

  public NodeInfoCases(Session s) {
    super(s);
  }

  /** R7.1: protocol_version is "fedtrace.v1". When it fails: the node names another package. */
  public void R7_1_answersProtocolVersion() {
    Expect.equal("fedtrace.v1", s.info().getProtocolVersion(), "R7.1 protocol_version");
  }

  /**
   * R7.2: node is the identity of the node's TLS certificate (and the kit's node, when named). When
   * it fails: GetNodeInfo reports an identity from configuration instead of its certificates.
   */
  public void R7_2_answersOwnIdentity() {
    GetNodeInfoResponse info = s.info();
    Identity answered = new Identity(info.getNode().getCountry(), info.getNode().getOperatorId());
    Identity seen =
        s.connections()
            .serverIdentity()
            .orElseThrow(() -> new AssertionError("no server certificate was seen"));
    Expect.equal(seen, answered, "R7.2 node versus the TLS certificate's identity");
    s.kit().node().ifPresent(n -> Expect.equal(n, answered, "R7.2 node versus the kit's node"));
  }

  /**
   * R7.3: agreement_sha256 is the SHA-256 of the exact agreement.json the kit gave the node. When
   * it fails: the node hashes a re-serialized agreement, or runs another agreement than the kit's.
   */
  @Needs(Need.AGREEMENT)
  public void R7_3_answersAgreementHash() {
    byte[] expected = Canonical.sha256(s.kit().agreement().orElseThrow());
    Expect.equal(
        ByteString.copyFrom(expected), s.info().getAgreementSha256(), "R7.3 agreement_sha256");
  }

  /**
   * R7.4: federation, retention_days and sunset_date are the agreement's values. When it fails: the
   * node takes them from configuration, or runs another agreement.
   */
  @Needs(Need.AGREEMENT)
  public void R7_4_answersAgreementTerms() {
    JsonObject a =
        JsonParser.parseString(
                new String(s.kit().agreement().orElseThrow(), StandardCharsets.UTF_8))
            .getAsJsonObject();
    GetNodeInfoResponse info = s.info();
    Expect.equal(a.get("federation").getAsString(), info.getFederation(), "R7.4 federation");
    Expect.equal(a.get("retention_days").getAsInt(), info.getRetentionDays(), "R7.4 retention");
    Expect.equal(a.get("sunset_date").getAsString(), info.getSunsetDate(), "R7.4 sunset_date");
  }

  /**
   * R7.5: max_keys_per_batch is at least 10,000, and a batch of exactly that many keys is accepted
   * (R8.3 refuses one more). When it fails: the declared limit is too low or not the one enforced.
   */
  @Slow
  public void R7_5_enforcesDeclaredMaxKeysPerBatch() {
    long max = Integer.toUnsignedLong(s.info().getMaxKeysPerBatch());
    Expect.check(max >= 10_000, "R7.5: max_keys_per_batch " + max + " is below 10,000");
    if (max > 50_000) {
      throw new Skipped("max_keys_per_batch " + max + " is too large to fill in a test");
    }
    PublishBatchResponse r = publish(a().tls(), valid(a(), (int) max));
    Expect.check(!r.getDuplicate(), "R7.5: a new batch was reported as duplicate");
  }

  /**
   * R7.6: max_message_bytes is at least 4,194,304, and a request of exactly that size is read and
   * judged by the RPC's rules (here R8.11), not refused for its size. When it fails: the declared
   * limit is too low or not the one enforced.
   */
  @Slow
  public void R7_6_enforcesDeclaredMaxMessageBytes() {
    long max = Integer.toUnsignedLong(s.info().getMaxMessageBytes());
    Expect.check(max >= 4_194_304, "R7.6: max_message_bytes " + max + " is below 4,194,304");
    if (max > 64L << 20) {
      throw new Skipped("max_message_bytes " + max + " is too large to send in a test");
    }
    PublishBatchRequest r = sized((int) max);
    try {
      s.federation(a().tls()).publishBatch(r);
      throw new AssertionError("R8.11: a batch with a garbage signer_certificate was accepted");
    } catch (StatusRuntimeException e) {
      Expect.check(
          e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED,
          "R7.6: a request of exactly max_message_bytes ("
              + max
              + ") was refused for its size: "
              + Expect.describe(e.getStatus()));
    }
  }

  /**
   * R7.7: features lists only names of §6.3, without repeats, and each listed feature's RPC is
   * served (not UNIMPLEMENTED). When it fails: the node lists a feature it does not implement or a
   * name the spec does not define.
   */
  public void R7_7_listsExactlyImplementedFeatures() {
    List<String> features = s.info().getFeaturesList();
    Expect.equal(features.size(), Set.copyOf(features).size(), "R7.7 features without repeats");
    for (String f : features) {
      Expect.check(FEATURES.contains(f), "R7.7: '" + f + "' is not a feature name of §6.3");
    }
    for (String f : features) {
      for (Expect.Call call : TransportCases.featureCalls(s, f)) {
        try {
          call.run();
        } catch (StatusRuntimeException e) {
          Expect.check(
              e.getStatus().getCode() != Status.Code.UNIMPLEMENTED,
              "R7.7: the node lists '" + f + "' but answers " + Expect.describe(e.getStatus()));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }
    }
  }
}

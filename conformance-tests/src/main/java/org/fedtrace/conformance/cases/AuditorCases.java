package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Credential;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.DepositObservationsRequest;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.GetConsistencyProofRequest;
import org.fedtrace.proto.v1.GetConsistencyProofResponse;
import org.fedtrace.proto.v1.GetEntriesRequest;
import org.fedtrace.proto.v1.GetEntriesResponse;
import org.fedtrace.proto.v1.GetExposuresRequest;
import org.fedtrace.proto.v1.GetInclusionProofRequest;
import org.fedtrace.proto.v1.GetInclusionProofResponse;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.LogEntry;
import org.fedtrace.proto.v1.PullBatchesRequest;
import org.fedtrace.proto.v1.QueryKeyDestinationsRequest;
import org.fedtrace.proto.v1.SubscribeBatchesRequest;
import org.fedtrace.proto.v1.UploadDiagnosisKeysRequest;
import org.fedtrace.proto.v1.WitnessingGrpc;

/**
 * spec/transparency.md §15.7: the node and the kit's auditor certificate (rules R17.16, R17.17),
 * which the federation authority issued to an identity that is not a member. The auditor reads the
 * log as a member does, and every call it makes to another service is refused.
 */
public final class AuditorCases extends LogCaseBase {
  /** How many entries the auditor reads and compares with member A's reading. */
  private static final long ENTRIES_COMPARED = 8;

  /** The deadline of a streaming call a node ought to refuse at once. */
  private static final long STREAM_SECONDS = 10;

  public AuditorCases(Session s) {
    super(s);
  }

  private Credential auditor() {
    return s.kit().auditor().orElseThrow();
  }

  /** Asserts that {@code call} made as the auditor is refused as R17.16 requires. */
  private static void refused(String what, Expect.Call call) {
    Expect.Refusal r = Expect.refused(Status.Code.PERMISSION_DENIED, "R17.16", call);
    Expect.check(
        r.message().contains("TransparencyLog"),
        "R17.16: the refusal of "
            + what
            + " must name what an auditor may call (TransparencyLog), got '"
            + r.message()
            + "'");
  }

  /**
   * R17.16: the auditor calls GetNodeInfo and the health service, which it may (§15.7; health may
   * be absent, but not refused by R17.16), then PublishBatch of a valid batch of A, PullBatches,
   * GetBatch, and, when the node offers them, SubscribeBatches, UploadDiagnosisKeys,
   * QueryKeyDestinations, AddCosignature, DepositObservations and GetExposures: each refused with
   * PERMISSION_DENIED, the message starting with {@code R17.16: } and naming TransparencyLog. When
   * it fails: an auditor's certificate publishes, pulls keys or cosigns like a member's.
   */
  @Needs(Need.AUDITOR_CREDENTIAL)
  public void R17_16_refusesAnAuditorEveryOtherService() {
    Credential x = auditor();
    Expect.succeeds(
        "R17.16: GetNodeInfo as the auditor",
        () -> s.federation(x).getNodeInfo(GetNodeInfoRequest.getDefaultInstance()));
    health(x);
    refused("PublishBatch", () -> s.federation(x).publishBatch(request(valid(a(), 1))));
    refused(
        "PullBatches",
        () ->
            s.federation(x).pullBatches(PullBatchesRequest.newBuilder().setMaxBatches(1).build()));
    refused("GetBatch", () -> s.federation(x).getBatch(get(valid(a(), 1))));
    if (s.hasFeature("subscribe")) {
      refused(
          "SubscribeBatches",
          () ->
              FederationGrpc.newBlockingStub(s.connections().as(x))
                  .withDeadlineAfter(STREAM_SECONDS, TimeUnit.SECONDS)
                  .subscribeBatches(SubscribeBatchesRequest.getDefaultInstance())
                  .hasNext());
    }
    if (s.hasFeature("upload")) {
      refused(
          "UploadDiagnosisKeys",
          () -> s.upload(x).uploadDiagnosisKeys(UploadDiagnosisKeysRequest.getDefaultInstance()));
    }
    if (s.hasFeature("notice")) {
      refused(
          "QueryKeyDestinations",
          () ->
              s.notice(x)
                  .queryKeyDestinations(
                      QueryKeyDestinationsRequest.newBuilder()
                          .setNoticeSecret(batches().randomBytes(32))
                          .build()));
    }
    if (s.hasFeature("witnessing")) {
      refused(
          "AddCosignature",
          () ->
              WitnessingGrpc.newBlockingStub(s.connections().as(x))
                  .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
                  .addCosignature(AddCosignatureRequest.getDefaultInstance()));
    }
    if (s.hasFeature("operator-matching")) {
      refused(
          "DepositObservations",
          () ->
              s.operatorMatching(x)
                  .depositObservations(DepositObservationsRequest.getDefaultInstance()));
      refused(
          "GetExposures",
          () -> s.operatorMatching(x).getExposures(GetExposuresRequest.getDefaultInstance()));
    }
  }

  /** The health service answers the auditor, or is absent; R17.16 must not refuse it. */
  private void health(Credential x) {
    try {
      HealthGrpc.newBlockingStub(s.connections().as(x))
          .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      Expect.check(
          e.getStatus().getCode() != Status.Code.PERMISSION_DENIED,
          "R17.16: the health service refused the auditor: " + Expect.describe(e.getStatus()));
    }
  }

  /**
   * R17.17: with a log of at least one entry, the auditor's GetCheckpoint verifies (R13.32) and is
   * consistent with member A's checkpoint before it; its GetEntries of the first entries equals
   * member A's; its audit path of entry 0 and its consistency proof from A's checkpoint verify.
   * When it fails: auditors cannot audit a node without holding a member's credential.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.AUDITOR_CREDENTIAL})
  public void R17_17_answersAnAuditorTheLogAsAMember() {
    Credential x = auditor();
    Checkpoint before = atLeast(1);
    Checkpoint c =
        Expect.<GetCheckpointResponse>succeeds(
                "R17.17: GetCheckpoint as the auditor",
                () -> s.transparencyLog(x).getCheckpoint(GetCheckpointRequest.getDefaultInstance()))
            .getCheckpoint();
    log.verify(c);
    Expect.check(
        c.getTreeSize() >= before.getTreeSize(),
        "R17.17: the auditor's checkpoint is smaller than member A's before it");
    long end = Math.min(c.getTreeSize(), ENTRIES_COMPARED);
    List<LogEntry> read =
        Expect.<GetEntriesResponse>succeeds(
                "R17.17: GetEntries(0, " + end + ") as the auditor",
                () ->
                    s.transparencyLog(x)
                        .getEntries(GetEntriesRequest.newBuilder().setStart(0).setEnd(end).build()))
            .getEntriesList();
    Expect.check(!read.isEmpty(), "R17.17: GetEntries answered the auditor no entry");
    Expect.equal(log.entries(0, read.size()), read, "R17.17 entries read by the auditor");
    GetInclusionProofResponse p =
        Expect.succeeds(
            "R17.17: GetInclusionProof as the auditor",
            () ->
                s.transparencyLog(x)
                    .getInclusionProof(
                        GetInclusionProofRequest.newBuilder()
                            .setLeafIndex(0)
                            .setTreeSize(c.getTreeSize())
                            .build()));
    List<ByteString> consistency =
        before.getTreeSize() == c.getTreeSize()
            ? List.of()
            : Expect.<GetConsistencyProofResponse>succeeds(
                    "R17.17: GetConsistencyProof as the auditor",
                    () ->
                        s.transparencyLog(x)
                            .getConsistencyProof(
                                GetConsistencyProofRequest.newBuilder()
                                    .setFirstTreeSize(before.getTreeSize())
                                    .setSecondTreeSize(c.getTreeSize())
                                    .build()))
                .getProofList();
    try {
      Merkle.verifyInclusion(
          LogReader.leafHash(read.get(0)),
          0,
          c.getTreeSize(),
          bytes(p.getAuditPathList()),
          c.getRootHash().toByteArray());
      Merkle.verifyConsistency(
          before.getTreeSize(),
          c.getTreeSize(),
          before.getRootHash().toByteArray(),
          c.getRootHash().toByteArray(),
          bytes(consistency));
    } catch (Merkle.InvalidProof e) {
      throw new AssertionError("R17.17: a proof answered to the auditor does not verify", e);
    }
  }

  private static List<byte[]> bytes(List<ByteString> list) {
    return list.stream().map(ByteString::toByteArray).toList();
  }
}

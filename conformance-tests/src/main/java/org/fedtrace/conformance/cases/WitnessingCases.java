package org.fedtrace.conformance.cases;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Need;
import org.fedtrace.conformance.Needs;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Checkpoints;
import org.fedtrace.conformance.wire.Cosignatures;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.conformance.wire.Merkle;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.AddCosignatureResponse;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;
import org.fedtrace.proto.v1.GetCheckpointRequest;
import org.fedtrace.proto.v1.GetCheckpointResponse;
import org.fedtrace.proto.v1.WitnessingGrpc;

/**
 * spec/transparency.md §15: the node as a witnessed log (rules R17.8 to R17.12, R17.15). The kit's
 * members A and B act as witnesses: they cosign the node's candidate checkpoint with their
 * batch-signing keys and hand the cosignatures over with AddCosignature, as a member's node would.
 */
public final class WitnessingCases extends LogCaseBase {
  public WitnessingCases(Session s) {
    super(s);
  }

  private GetCheckpointResponse served() {
    return Expect.succeeds(
        "GetCheckpoint",
        () ->
            s.transparencyLog(a().tls()).getCheckpoint(GetCheckpointRequest.getDefaultInstance()));
  }

  private Checkpoint candidate() {
    GetCheckpointResponse r = served();
    Expect.check(r.getCosignedCount() >= 1, "R17.11: GetCheckpoint names no cosigned checkpoint");
    Checkpoint c = r.getCosigned(0).getCheckpoint();
    log.verify(c);
    return c;
  }

  private static Cosignature cosign(Checkpoint c, Kit.Operator witness, long time) {
    return Cosignature.newBuilder()
        .setWitness(witness.identity().toString())
        .setTimeUnixSeconds(time)
        .setSignature(
            ByteString.copyFrom(
                Ed25519.sign(witness.signing().privateKey(), Cosignatures.message(c, time))))
        .setWitnessCertificate(ByteString.copyFrom(witness.signing().der()))
        .build();
  }

  private AddCosignatureResponse add(Kit.Operator caller, Checkpoint c, Cosignature cos) {
    return WitnessingGrpc.newBlockingStub(s.connections().as(caller.tls()))
        .withDeadlineAfter(Session.DEADLINE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
        .addCosignature(
            AddCosignatureRequest.newBuilder().setCheckpoint(c).setCosignature(cos).build());
  }

  private static boolean old(Checkpoint c) {
    return Instant.now().toEpochMilli() - c.getTimeUnixMillis() > 90_000;
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  /**
   * R17.8: a cosignature of a checkpoint the node does not serve as cosigned (its candidate with
   * the time moved by one millisecond, cosigned correctly by A) is refused with INVALID_ARGUMENT.
   * When it fails: the node collects cosignatures of checkpoints it never signed.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING})
  public void R17_8_refusesACheckpointItDoesNotCollect() {
    Checkpoint c = candidate();
    Checkpoint other = c.toBuilder().setTimeUnixMillis(c.getTimeUnixMillis() + 1).build();
    Expect.refused(
        Status.Code.INVALID_ARGUMENT, "R17.8", () -> add(a(), other, cosign(other, a(), now())));
  }

  /**
   * R17.9: A's cosignature of the candidate with its time changed after signing is refused with
   * INVALID_ARGUMENT, and not served. When it fails: the node serves cosignatures that do not
   * verify, which every auditor then reports.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING})
  public void R17_9_refusesACosignatureThatDoesNotVerify() {
    Checkpoint c = candidate();
    Cosignature cos = cosign(c, a(), now());
    Cosignature bad = cos.toBuilder().setTimeUnixSeconds(cos.getTimeUnixSeconds() + 1).build();
    Expect.refused(Status.Code.INVALID_ARGUMENT, "R17.9", () -> add(a(), c, bad));
    for (CosignedCheckpoint cc : served().getCosignedList()) {
      Expect.check(
          !cc.getCosignaturesList().contains(bad), "R17.9: the refused cosignature is served");
    }
  }

  /**
   * R17.10: A hands over B's valid cosignature (another witness than the caller), then its own
   * cosignature carrying B's certificate: both refused with PERMISSION_DENIED. When it fails: one
   * member can cosign in another's name.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING})
  public void R17_10_refusesACosignatureNotOfTheCaller() {
    Checkpoint c = candidate();
    Expect.refused(
        Status.Code.PERMISSION_DENIED, "R17.10", () -> add(a(), c, cosign(c, b(), now())));
    Cosignature withB =
        cosign(c, a(), now()).toBuilder()
            .setWitnessCertificate(ByteString.copyFrom(b().signing().der()))
            .build();
    Expect.refused(Status.Code.PERMISSION_DENIED, "R17.10", () -> add(a(), c, withB));
  }

  /**
   * R17.11: after A cosigns the candidate, GetCheckpoint serves at most two cosigned checkpoints,
   * each verifying (R13.32), not larger than the latest and consistent with it (the suite's RFC
   * 9162 verifier), with at most one cosignature per witness, and A's among those of the candidate.
   * When it fails: auditors cannot find the cosignatures, or find contradicting ones.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING})
  public void R17_11_servesCosignedCheckpointsConsistentWithTheLatest() {
    Checkpoint c = candidate();
    Cosignature mine = cosign(c, a(), now());
    Expect.succeeds("AddCosignature of A", () -> add(a(), c, mine));
    GetCheckpointResponse r = served();
    Checkpoint latest = r.getCheckpoint();
    log.verify(latest);
    Expect.check(
        r.getCosignedCount() >= 1 && r.getCosignedCount() <= 2,
        "R17.11: " + r.getCosignedCount() + " cosigned checkpoints");
    boolean found = false;
    for (CosignedCheckpoint cc : r.getCosignedList()) {
      Checkpoint x = cc.getCheckpoint();
      log.verify(x);
      Expect.check(
          x.getTreeSize() <= latest.getTreeSize(),
          "R17.11: a cosigned checkpoint is larger than the latest");
      if (x.getTreeSize() > 0 && x.getTreeSize() < latest.getTreeSize()) {
        log.assertConsistent(x, latest, "R17.11");
      } else if (x.getTreeSize() == latest.getTreeSize()) {
        Expect.equal(latest.getRootHash(), x.getRootHash(), "R17.11 root at the same size");
      }
      long witnesses =
          cc.getCosignaturesList().stream().map(Cosignature::getWitness).distinct().count();
      Expect.equal(
          (long) cc.getCosignaturesCount(), witnesses, "R17.11 one cosignature per witness");
      found |= x.equals(c) && cc.getCosignaturesList().contains(mine);
    }
    Expect.check(found, "R17.11: A's accepted cosignature is not served with its checkpoint");
  }

  /**
   * R17.12: A cosigns the candidate, A publishes a batch (the log grows): the candidate stays while
   * B has not cosigned it; then B cosigns, and after another publish the candidate is a newer
   * checkpoint and the former one, with both cosignatures, is served second (with C and D, in kits
   * that have them, cosigning beside B). Skipped when the candidate was already 90 s old (it may
   * move on by age), or when it did not move on after B (the node then has witnesses other than the
   * kit's members). When it fails: witnesses cosign different checkpoints and none gathers a
   * quorum, or a quorum disappears as the candidate moves.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING})
  public void R17_12_keepsItsCandidateUntilEveryWitnessCosigned() {
    Checkpoint c = candidate();
    // the kit's witnesses: A, B and, in kits with them, the regional members C and D (§15.1: every
    // other member witnesses)
    List<Kit.Operator> others = new ArrayList<>(List.of(b()));
    s.kit().memberC().ifPresent(others::add);
    s.kit().memberD().ifPresent(others::add);
    if (old(c)) { // a fresh one: cosigned by every witness (or aged), the candidate moves on
      Checkpoint stale = c;
      Expect.succeeds("AddCosignature of A", () -> add(a(), stale, cosign(stale, a(), now())));
      for (Kit.Operator w : others) {
        Expect.succeeds(
            "AddCosignature of " + w.identity(), () -> add(w, stale, cosign(stale, w, now())));
      }
      publish(a().tls(), valid(a(), 1));
      c = candidate();
    }
    if (old(c)) {
      throw new Skipped("the node's candidate is over 90 s old and may move on by age");
    }
    Checkpoint fresh = c;
    Expect.succeeds("AddCosignature of A", () -> add(a(), fresh, cosign(fresh, a(), now())));
    publish(a().tls(), valid(a(), 1));
    Expect.equal(fresh, candidate(), "R17.12 candidate while B has not cosigned it");
    for (Kit.Operator w : others) {
      Expect.succeeds(
          "AddCosignature of " + w.identity(), () -> add(w, fresh, cosign(fresh, w, now())));
    }
    publish(a().tls(), valid(a(), 1));
    GetCheckpointResponse r = served();
    if (r.getCosigned(0).getCheckpoint().equals(fresh)) {
      throw new Skipped(
          "the candidate did not move on: the node has witnesses besides the kit's members");
    }
    Expect.check(
        r.getCosignedCount() == 2 && r.getCosigned(1).getCheckpoint().equals(fresh),
        "R17.12: the former candidate is not served second");
    Expect.equal(
        1 + others.size(),
        r.getCosigned(1).getCosignaturesCount(),
        "R17.12 cosignatures of the former candidate");
  }

  /**
   * R17.15: after A cosigns the candidate, {@code GET /api/v1/checkpoint} carries {@code
   * witnesses}: a quorum, the other members, and cosigned checkpoints whose signed note is the
   * log's note (verifying under the public key) followed by one line {@code — fedtrace.v1/witness/
   * <witness> base64(...)} per cosignature, each cosignature verifying under its public key over
   * the §15.2 message. When it fails: the public cannot check witnessing.
   */
  @Needs({Need.TRANSPARENCY_LOG, Need.WITNESSING, Need.PUBLIC_ENDPOINT})
  public void R17_15_publishesCosignedCheckpoints() {
    Checkpoint c = candidate();
    Expect.succeeds("AddCosignature of A", () -> add(a(), c, cosign(c, a(), now())));
    JsonObject body = new PublicClient(s.target()).json("/api/v1/checkpoint");
    Expect.check(body.has("witnesses"), "R17.15: the checkpoint resource has no witnesses");
    JsonObject w = body.getAsJsonObject("witnesses");
    JsonArray members = w.getAsJsonArray("members");
    Expect.check(
        members.contains(new com.google.gson.JsonPrimitive(a().identity().toString())),
        "R17.15: member A is not among the witnesses");
    Expect.check(
        w.get("quorum").getAsInt() >= 1 && w.get("quorum").getAsInt() <= members.size(),
        "R17.15: quorum " + w.get("quorum") + " of " + members.size() + " witnesses");
    boolean found = false;
    byte[] logKey = Base64.getDecoder().decode(body.get("publicKey").getAsString());
    for (JsonElement e : w.getAsJsonArray("cosigned")) {
      JsonObject cc = e.getAsJsonObject();
      String note = cc.get("signedNote").getAsString();
      int split = note.indexOf("\n\n");
      Expect.check(split > 0, "R17.15: signedNote is not a signed note");
      byte[] text = note.substring(0, split + 1).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      Checkpoint x = parse(note.substring(0, split + 1), c);
      String logLine = note.substring(split + 2).split("\n")[0];
      String prefix = "\u2014 " + x.getLogOrigin() + " ";
      Expect.check(
          logLine.startsWith(prefix), "R17.15: the note's first signature is not the log's");
      byte[] logSig = Base64.getDecoder().decode(logLine.substring(prefix.length()));
      Expect.check(
          logSig.length == 68
              && Ed25519.verify(logKey, text, java.util.Arrays.copyOfRange(logSig, 4, 68)),
          "R17.15: the log's signature of the cosigned checkpoint does not verify");
      for (JsonElement ce : cc.getAsJsonArray("cosignatures")) {
        JsonObject cos = ce.getAsJsonObject();
        String witness = cos.get("witness").getAsString();
        long time = cos.get("timeUnixSeconds").getAsLong();
        byte[] sig = Base64.getDecoder().decode(cos.get("signature").getAsString());
        byte[] key = Base64.getDecoder().decode(cos.get("publicKey").getAsString());
        Expect.check(
            Ed25519.verify(key, Cosignatures.message(x, time), sig),
            "R17.15: the cosignature of " + witness + " does not verify");
        Expect.check(
            note.contains("\n\u2014 fedtrace.v1/witness/" + witness + " "),
            "R17.15: the signed note has no cosignature line of " + witness);
        found |=
            witness.equals(a().identity().toString())
                && x.getTreeSize() == c.getTreeSize()
                && x.getRootHash().equals(c.getRootHash());
      }
    }
    Expect.check(found, "R17.15: A's cosignature of the candidate is not published");
  }

  /** The checkpoint whose note text is {@code text}, with the fields of the text. */
  private static Checkpoint parse(String text, Checkpoint like) {
    String[] lines = text.split("\n");
    Expect.check(lines.length == 4, "R17.15: the note text has " + lines.length + " lines");
    Checkpoint x =
        like.toBuilder()
            .setLogOrigin(lines[0])
            .setTreeSize(Long.parseLong(lines[1]))
            .setRootHash(ByteString.copyFrom(Base64.getDecoder().decode(lines[2])))
            .setTimeUnixMillis(Long.parseLong(lines[3].substring("time_unix_millis ".length())))
            .build();
    Expect.equal(text, Checkpoints.noteText(x), "R17.15 note text");
    Expect.check(x.getRootHash().size() == Merkle.HASH_BYTES, "R17.15: root hash length");
    return x;
  }
}

package org.fedtrace.node.rpc;

import io.grpc.stub.StreamObserver;
import java.security.SignatureException;
import java.time.Clock;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.TrustedSigner;
import org.fedtrace.proto.v1.AddCosignatureRequest;
import org.fedtrace.proto.v1.AddCosignatureResponse;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.WitnessingGrpc;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.tlog.Cosignatures;
import org.fedtrace.tlog.CosignedCheckpoints;
import org.fedtrace.transport.Caller;

/**
 * The {@code fedtrace.v1.Witnessing} service (spec/transparency.md §15.3): a witness, which is a
 * member calling with its own identity, hands this log a cosignature of a checkpoint the log
 * collects cosignatures for. Check order: protocol.md §6.4, then R17.10 (the witness is the caller
 * and its certificate the caller's batch-signing certificate), R17.8 (the checkpoint is collected),
 * R17.9 (the cosignature verifies).
 */
public final class WitnessingService extends WitnessingGrpc.WitnessingImplBase {
  private final CosignedCheckpoints cosigned;
  private final CertificateValidator validator;
  private final Clock clock;

  /**
   * Collects cosignatures into {@code cosigned}, trusting witnesses' certificates by {@code
   * validator}.
   */
  public WitnessingService(
      CosignedCheckpoints cosigned, CertificateValidator validator, Clock clock) {
    this.cosigned = cosigned;
    this.validator = validator;
    this.clock = clock;
  }

  @Override
  public void addCosignature(
      AddCosignatureRequest request, StreamObserver<AddCosignatureResponse> observer) {
    OperatorIdentity caller = Caller.current();
    Cosignature c = request.getCosignature();
    if (!c.getWitness().equals(caller.toString())) {
      throw new RuleViolation(
          Rule.COSIGNATURE_NOT_CALLER,
          "cosignature.witness must be the caller, " + caller + ", not '" + c.getWitness() + "'");
    }
    TrustedSigner witness;
    try {
      witness =
          validator.validateBatchSigner(c.getWitnessCertificate().toByteArray(), clock.instant());
    } catch (CertificateRejectedException e) {
      throw new RuleViolation(
          Rule.COSIGNATURE_NOT_CALLER,
          "cosignature.witness_certificate is not a valid batch-signing certificate: "
              + e.getMessage());
    }
    if (!witness.identity().equals(caller)) {
      throw new RuleViolation(
          Rule.COSIGNATURE_NOT_CALLER,
          "cosignature.witness_certificate names " + witness.identity() + ", not the caller");
    }
    try {
      Cosignatures.verify(request.getCheckpoint(), c, witness.key());
    } catch (SignatureException e) {
      throw RuleViolation.field(
          Rule.COSIGNATURE_INVALID,
          "cosignature.signature",
          "does not verify as a cosignature/v1 of the checkpoint under the witness's key");
    }
    try {
      cosigned.add(request.getCheckpoint(), c);
    } catch (IllegalArgumentException e) {
      throw RuleViolation.field(Rule.COSIGNATURE_UNKNOWN_CHECKPOINT, "checkpoint", e.getMessage());
    }
    Replies.send(observer, AddCosignatureResponse.getDefaultInstance());
  }
}

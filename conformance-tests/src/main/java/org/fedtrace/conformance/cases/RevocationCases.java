package org.fedtrace.conformance.cases;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.Skipped;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;

/**
 * Spec §2.6, R2.10 and R2.11: certificates the agreement revokes. The kit's {@code revoked} folder
 * holds member A's identity on certificates of the federation authority, valid now, whose serial
 * numbers the kit's agreement lists in {@code revoked_certificates}; the node must run that
 * agreement.
 */
public final class RevocationCases extends CaseBase {
  public RevocationCases(Session s) {
    super(s);
  }

  private Kit.Operator revoked() {
    return s.kit()
        .revoked()
        .orElseThrow(
            () ->
                new Skipped(
                    "the kit has no revoked certificates (written before spec 0.6.0); write a"
                        + " new one with 'fedtrace conformance kit' and start the node on its"
                        + " agreement"));
  }

  /**
   * R2.10: a TLS client certificate of a member's identity, issued by the authority and within its
   * validity, that the agreement revokes fails the handshake or gets UNAUTHENTICATED. When it
   * fails: the node ignores the agreement's revoked_certificates for TLS, or runs an older
   * agreement than the kit's (start it on the kit's agreement.json).
   */
  public void R2_10_refusesRevokedClientCertificate() {
    Kit.Operator revoked = revoked();
    reachable();
    Expect.handshakeRefused(
        Status.Code.UNAUTHENTICATED,
        "R2.10",
        () -> {
          ManagedChannel ch = s.connections().fresh(revoked.tls(), "TLSv1.3");
          return FederationGrpc.newBlockingStub(ch)
              .withDeadlineAfter(Session.DEADLINE_SECONDS, TimeUnit.SECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
        });
  }

  /**
   * R2.11: member A sends, over its valid connection, a batch of origin A signed with a signing
   * certificate of A's identity that the agreement revokes: PERMISSION_DENIED. When it fails: the
   * node checks the signer certificate's chain and dates but not the agreement's revocations.
   */
  public void R2_11_refusesBatchOfRevokedSigner() {
    Kit.Operator revoked = revoked();
    publishRefused(Status.Code.PERMISSION_DENIED, "R2.11", sign(unsigned(a(), 1), revoked));
  }
}

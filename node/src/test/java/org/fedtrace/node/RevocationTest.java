package org.fedtrace.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.AgreementTerms;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorCredentials;
import org.fedtrace.pki.RevokedCertificate;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.testing.TestFederation;
import org.fedtrace.transport.MutualTls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spec §2.6 on the node's side: it refuses to start with a certificate of its own that its
 * agreement revokes (R2.13), and as a client it refuses a peer whose server certificate is revoked
 * (R2.12). R2.10 and R2.11 (a revoked client certificate, a batch of a revoked signer) are the
 * conformance suite's cases, which run against this node in-process.
 */
class RevocationTest {
  @TempDir Path dir;

  @Test
  void aRevokedCertificateOfItsOwnStopsTheNode() throws Exception {
    for (boolean tls : List.of(true, false)) {
      try (TestFederation f =
          TestFederation.create(dir.resolve(tls ? "tls" : "signing"), Clock.systemUTC(), "DE")) {
        OperatorCredentials de = f.credentials("DE");
        var certificate = tls ? de.tls().certificate() : de.signing().certificate();
        AgreementTerms terms = f.pki().terms();
        f.pki()
            .setTerms(
                terms.withRevoked(
                    RevokedCertificate.of(certificate, RevokedCertificate.Reason.KEY_COMPROMISE)));
        f.configure("DE");
        NodeStartException e = assertThrows(NodeStartException.class, () -> f.startNode("DE"));
        assertTrue(
            e.getMessage()
                .contains(
                    "the certificate of serial "
                        + certificate.getSerialNumber().toString(16)
                        + " is revoked by the agreement (key_compromise)"),
            e.getMessage());
      }
    }
  }

  @Test
  void aClientRefusesAPeerWhoseServerCertificateIsRevoked() throws Exception {
    try (TestFederation f = TestFederation.create(dir, Clock.systemUTC(), "DE", "FR")) {
      f.startNode("DE");
      f.startNode("FR");
      OperatorCredentials de = f.credentials("DE");
      OperatorCredentials fr = f.credentials("FR");
      CertificateValidator plain = f.pki().validator();
      assertEquals(
          "FR", nodeInfo(f.node("FR").port(), de, plain, f.node("FR")).getNode().getCountry());

      CertificateValidator revoking =
          plain.revoking(
              List.of(
                  RevokedCertificate.of(
                      fr.tls().certificate(), RevokedCertificate.Reason.KEY_COMPROMISE)));
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> nodeInfo(f.node("FR").port(), de, revoking, f.node("FR")));
      assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode(), e.toString());
    }
  }

  private static org.fedtrace.proto.v1.GetNodeInfoResponse nodeInfo(
      int port, OperatorCredentials client, CertificateValidator validator, Node server)
      throws Exception {
    ManagedChannel ch =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .sslContext(
                MutualTls.client(client.tls(), validator, Clock.systemUTC(), server.identity()))
            .build();
    try {
      return FederationGrpc.newBlockingStub(ch)
          .withDeadlineAfter(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS)
          .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }
}

package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.util.HexFormat;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.junit.jupiter.api.Test;

/** The log line of an agreement mismatch says which agreement each side runs (R7.10). */
class AgreementMismatchTest {
  @Test
  void theLineNamesBothAgreementHashesAndThePeersTerms() {
    byte[] ours = new byte[32];
    byte[] theirs = new byte[32];
    theirs[0] = 1;
    GetNodeInfoResponse info =
        GetNodeInfoResponse.newBuilder()
            .setAgreementSha256(ByteString.copyFrom(theirs))
            .setFederation("demo")
            .setRetentionDays(14)
            .setSunsetDate("2027-06-30")
            .build();
    HexFormat hex = HexFormat.of();
    assertEquals(
        "event=agreement_mismatch peer=FR/op-fr our_agreement_sha256="
            + hex.formatHex(ours)
            + " their_agreement_sha256="
            + hex.formatHex(theirs)
            + " their_federation=\"demo\" their_retention=14 their_sunset=2027-06-30",
        PeerChannel.mismatch(org.fedtrace.pki.OperatorIdentity.parse("FR/op-fr"), info, ours));
  }
}

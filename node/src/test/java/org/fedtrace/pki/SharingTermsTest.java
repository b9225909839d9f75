package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import org.fedtrace.proto.v1.BatchScope;
import org.junit.jupiter.api.Test;

/** The agreement's {@code sharing} field (spec §2.5, §25.3): strict parsing and the matrix. */
class SharingTermsTest {
  private static final BatchScope FED = BatchScope.BATCH_SCOPE_FEDERATE;
  private static final BatchScope TRAV = BatchScope.BATCH_SCOPE_TRAVELLER;

  private static AgreementTerms base() {
    return new AgreementTerms(
        "eu-pilot",
        3,
        14,
        LocalDate.of(2027, 6, 30),
        List.of(
            new OperatorIdentity("BE", "op-be"),
            new OperatorIdentity("DE", "op-de"),
            new OperatorIdentity("FR", "op-fr")),
        List.of());
  }

  /** The base agreement's JSON with {@code sharing} (raw JSON text) as its last field. */
  private static byte[] withSharing(String sharing) {
    String json = new String(base().toJson(), StandardCharsets.UTF_8).trim();
    return (json.substring(0, json.length() - 1) + ", \"sharing\": " + sharing + "}\n")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String refusal(String sharing) {
    return assertThrows(
            AgreementException.class, () -> AgreementTerms.fromJson(withSharing(sharing)))
        .getMessage();
  }

  @Test
  void absentMeansAllToAllAndIsNotWritten() throws Exception {
    AgreementTerms t = AgreementTerms.fromJson(base().toJson());
    assertEquals(SharingTerms.ALL, t.sharing());
    assertTrue(t.sharing().allows("DE", "FR", TRAV));
    assertFalse(new String(t.toJson(), StandardCharsets.UTF_8).contains("sharing"));
  }

  @Test
  void aMatrixAllowsExactlyItsPairsAndScopes() throws Exception {
    AgreementTerms t =
        AgreementTerms.fromJson(
            withSharing(
                "[{\"origin\": \"DE\", \"destination\": \"FR\", \"scopes\": [\"federate\"]},"
                    + " {\"origin\": \"FR\", \"destination\": \"DE\","
                    + " \"scopes\": [\"federate\", \"traveller\"]}]"));
    SharingTerms s = t.sharing();
    assertTrue(s.allows("DE", "FR", FED));
    assertFalse(s.allows("DE", "FR", TRAV), "a scope the pair does not list");
    assertTrue(s.allows("FR", "DE", TRAV));
    assertFalse(s.allows("BE", "DE", FED), "a pair the matrix does not list");
    assertTrue(s.allows("BE", "BE", TRAV), "a country's own batches come back to it");
    // written back byte for byte in the form it was read, so a new version keeps the terms
    assertEquals(t, AgreementTerms.fromJson(t.toJson()));
    assertEquals(s, t.withMember(new OperatorIdentity("NL", "op-nl")).sharing());
  }

  @Test
  void anEmptyMatrixSharesNothing() throws Exception {
    SharingTerms s = AgreementTerms.fromJson(withSharing("[]")).sharing();
    assertTrue(s.listed());
    assertFalse(s.allows("DE", "FR", FED));
  }

  @Test
  void malformedTermsAreRefusedWithTheirReason() {
    assertEquals(
        "a scope must be \"federate\" or \"traveller\", got \"domestic\"",
        refusal("[{\"origin\": \"DE\", \"destination\": \"FR\", \"scopes\": [\"domestic\"]}]"));
    assertEquals(
        "'sharing' must be sorted by origin, then destination, each pair once; DE->BE follows"
            + " DE->FR",
        refusal(
            "[{\"origin\": \"DE\", \"destination\": \"FR\", \"scopes\": [\"federate\"]},"
                + " {\"origin\": \"DE\", \"destination\": \"BE\", \"scopes\": [\"federate\"]}]"));
    assertEquals(
        "'sharing' names NL, which is not a member",
        refusal("[{\"origin\": \"DE\", \"destination\": \"NL\", \"scopes\": [\"federate\"]}]"));
    assertEquals(
        "a 'sharing' entry names DE twice",
        refusal("[{\"origin\": \"DE\", \"destination\": \"DE\", \"scopes\": [\"federate\"]}]"));
    assertEquals(
        "'scopes' must be in the order federate, traveller, each once",
        refusal(
            "[{\"origin\": \"DE\", \"destination\": \"FR\","
                + " \"scopes\": [\"traveller\", \"federate\"]}]"));
    assertEquals(
        "'scopes' must be a non-empty array",
        refusal("[{\"origin\": \"DE\", \"destination\": \"FR\", \"scopes\": []}]"));
    assertEquals(
        "unknown field 'note' in a 'sharing' entry",
        refusal("[{\"origin\": \"DE\", \"destination\": \"FR\", \"note\": \"x\"}]"));
    assertEquals("'sharing' must be an array", refusal("{}"));
  }
}

package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgreementTest {
  private static final LocalDate SUNSET = LocalDate.parse("2031-06-30");
  private static final String BASE =
      "{\"federation\":\"test\",\"version\":1,\"retention_days\":14,"
          + "\"sunset_date\":\"2031-06-30\",\"members\":[],\"health_authorities\":[]";

  private final TestPki pki = TestPki.create();

  @Test
  void roundTripsThroughItsSignedBytes() throws Exception {
    pki.member("DE", "de-node");
    pki.member("AT", "at-node");
    Agreement signed = pki.agreement();
    Agreement verified =
        Agreement.verify(signed.json(), signatureFile(signed), pki.caCertificate());
    assertEquals(signed.terms(), verified.terms());
    assertEquals("test", verified.federation());
    assertEquals(3, verified.version());
    assertEquals(14, verified.retentionDays());
    assertEquals(
        List.of(new OperatorIdentity("AT", "at-node"), new OperatorIdentity("DE", "de-node")),
        verified.members());
    assertTrue(verified.isMember(new OperatorIdentity("DE", "de-node")));
    assertFalse(verified.isMember(new OperatorIdentity("DE", "other")));
    assertArrayEquals(Sha256.hash(signed.json()), verified.sha256());
  }

  @Test
  void writesTheDocumentedJson() {
    SigningKey key = SigningKey.fromSeed(org.fedtrace.crypto.SecretBytes.copyOf(new byte[32]));
    HealthAuthority rki = new HealthAuthority("DE", "Robert Koch-Institut", key.verifyingKey());
    AgreementTerms terms =
        new AgreementTerms(
            "eu-pilot",
            2,
            14,
            SUNSET,
            List.of(new OperatorIdentity("DE", "de-node")),
            List.of(rki));
    String expected =
        "{\n"
            + "  \"federation\": \"eu-pilot\",\n"
            + "  \"version\": 2,\n"
            + "  \"retention_days\": 14,\n"
            + "  \"sunset_date\": \"2031-06-30\",\n"
            + "  \"members\": [\n"
            + "    {\n"
            + "      \"country\": \"DE\",\n"
            + "      \"operator_id\": \"de-node\"\n"
            + "    }\n"
            + "  ],\n"
            + "  \"health_authorities\": [\n"
            + "    {\n"
            + "      \"country\": \"DE\",\n"
            + "      \"name\": \"Robert Koch-Institut\",\n"
            + "      \"public_key\": \""
            + Base64.getEncoder().encodeToString(key.verifyingKey().subjectPublicKeyInfo())
            + "\",\n"
            + "      \"key_id\": \""
            + rki.keyIdHex()
            + "\"\n"
            + "    }\n"
            + "  ]\n"
            + "}\n";
    assertEquals(expected, new String(terms.toJson(), StandardCharsets.UTF_8));
  }

  @Test
  void writesEmptyListsCompactly() {
    String json =
        new String(AgreementTerms.initial("x", 7, SUNSET).toJson(), StandardCharsets.UTF_8);
    assertTrue(json.contains("  \"members\": [],\n  \"health_authorities\": []\n}\n"), json);
  }

  @Test
  void revokedCertificatesSurviveTheRoundTripAndAreOmittedWhenNone() throws Exception {
    AgreementTerms none = AgreementTerms.initial("x", 7, SUNSET);
    assertTrue(!new String(none.toJson(), StandardCharsets.UTF_8).contains("revoked_certificates"));
    AgreementTerms revoking =
        none.withRevoked(
                new RevokedCertificate(
                    new java.math.BigInteger("ff01", 16), RevokedCertificate.Reason.SUPERSEDED))
            .withRevoked(
                new RevokedCertificate(
                    java.math.BigInteger.valueOf(10), RevokedCertificate.Reason.KEY_COMPROMISE));
    assertEquals(3, revoking.version());
    String json = new String(revoking.toJson(), StandardCharsets.UTF_8);
    assertTrue(
        json.endsWith(
            "  \"revoked_certificates\": [\n"
                + "    {\n      \"serial\": \"a\",\n      \"reason\": \"key_compromise\"\n    },\n"
                + "    {\n      \"serial\": \"ff01\",\n      \"reason\": \"superseded\"\n    }\n"
                + "  ]\n}\n"),
        json);
    AgreementTerms read = AgreementTerms.fromJson(revoking.toJson());
    assertEquals(revoking, read);
    assertTrue(read.isRevoked(java.math.BigInteger.valueOf(10)));
    assertEquals(
        "certificate a is revoked already",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    read.withRevoked(
                        new RevokedCertificate(
                            java.math.BigInteger.TEN, RevokedCertificate.Reason.SUPERSEDED)))
            .getMessage());
  }

  @Test
  void refusesMalformedRevocations() {
    String base =
        new String(AgreementTerms.initial("x", 7, SUNSET).toJson(), StandardCharsets.UTF_8);
    for (String[] bad :
        new String[][] {
          {
            "[{\"serial\": \"0a\", \"reason\": \"superseded\"}]",
            "a revoked serial must be 1 to 40 lower-case hex digits without leading zeros, got '0a'"
          },
          {
            "[{\"serial\": \"A\", \"reason\": \"superseded\"}]",
            "a revoked serial must be 1 to 40 lower-case hex digits without leading zeros, got 'A'"
          },
          {
            "[{\"serial\": \"a\", \"reason\": \"lost\"}]",
            "a revocation's reason must be key_compromise, superseded or cessation_of_operation,"
                + " got 'lost'"
          },
          {"[{\"serial\": \"a\"}]", "missing field 'reason' in a revoked certificate"},
          {
            "[{\"serial\": \"a\", \"reason\": \"superseded\"},"
                + " {\"serial\": \"a\", \"reason\": \"superseded\"}]",
            "certificate a is revoked twice"
          },
          {"{}", "'revoked_certificates' must be an array"}
        }) {
      String json = base.replace("\n}\n", ",\n  \"revoked_certificates\": " + bad[0] + "\n}\n");
      AgreementException e =
          assertThrows(
              AgreementException.class,
              () -> AgreementTerms.fromJson(json.getBytes(StandardCharsets.UTF_8)));
      assertEquals(bad[1], e.getMessage(), json);
    }
  }

  @Test
  void healthAuthoritiesSurviveTheRoundTrip() throws Exception {
    SigningKey key = SigningKey.generate(new SecureRandom());
    HealthAuthority authority =
        new HealthAuthority("FR", "Santé publique France", key.verifyingKey());
    AgreementTerms terms = new AgreementTerms("test", 4, 21, SUNSET, List.of(), List.of(authority));
    Agreement agreement = pki.authority().sign(terms);
    Agreement verified =
        Agreement.verify(agreement.json(), signatureFile(agreement), pki.caCertificate());
    assertEquals(List.of(authority), verified.healthAuthorities());
    assertArrayEquals(
        Sha256.hash(key.verifyingKey().subjectPublicKeyInfo()),
        verified.healthAuthorities().get(0).keyId());
  }

  @Test
  void detectsEveryFlippedByte() {
    pki.member("DE", "de-node");
    Agreement agreement = pki.agreement();
    byte[] json = agreement.json();
    byte[] signature = signatureFile(agreement);
    List<Integer> accepted = new ArrayList<>();
    for (int i = 0; i < json.length; i++) {
      byte[] tampered = json.clone();
      tampered[i] ^= 0x01;
      try {
        Agreement.verify(tampered, signature, pki.caCertificate());
        accepted.add(i);
      } catch (AgreementException e) {
        assertEquals(
            "the agreement signature does not verify against the federation authority"
                + " CN=test Federation Authority",
            e.getMessage());
      }
    }
    assertEquals(List.of(), accepted);
  }

  @Test
  void refusesASignatureByAnotherAuthority() {
    TestPki foreign = TestPki.create();
    Agreement forged = foreign.agreement();
    AgreementException e =
        assertThrows(
            AgreementException.class,
            () -> Agreement.verify(forged.json(), signatureFile(forged), pki.caCertificate()));
    assertEquals(
        "the agreement signature does not verify against the federation authority"
            + " CN=test Federation Authority",
        e.getMessage());
  }

  @Test
  void refusesASignatureFileThatIsNotBase64() {
    Agreement agreement = pki.agreement();
    AgreementException e =
        assertThrows(
            AgreementException.class,
            () ->
                Agreement.verify(
                    agreement.json(),
                    "not base64!".getBytes(StandardCharsets.US_ASCII),
                    pki.caCertificate()));
    assertEquals("the agreement signature file is not base64", e.getMessage());
  }

  @Test
  void refusesAnAgreementOfAnotherFederation() {
    Agreement agreement = pki.agreement();
    AgreementTerms other = AgreementTerms.initial("other", 14, SUNSET);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pki.authority().sign(other));
    assertEquals(
        "the terms are for federation 'other', this authority is for 'test'", e.getMessage());
    assertEquals("test", agreement.federation());
  }

  @Test
  void knowsWhenExchangeEnds() {
    Agreement agreement = pki.authority().sign(AgreementTerms.initial("test", 14, SUNSET));
    Instant end = Instant.parse("2031-07-01T00:00:00Z");
    assertEquals(end, agreement.exchangeEnd());
    assertFalse(agreement.isPastSunset(end.minusNanos(1)));
    assertTrue(agreement.isPastSunset(end));
  }

  @Test
  void writesLoadsAndReplacesItsFiles(@TempDir Path dir) throws Exception {
    Agreement first = pki.agreement();
    first.writeTo(dir);
    assertEquals(first.terms(), Agreement.load(dir, pki.caCertificate()).terms());
    pki.member("SE", "se-node");
    Agreement second = pki.agreement();
    second.replaceIn(dir);
    Agreement loaded = Agreement.load(dir, pki.caCertificate());
    assertEquals(2, loaded.version());
    assertArrayEquals(second.json(), Files.readAllBytes(dir.resolve("agreement.json")));
    assertEquals(
        List.of("agreement.json", "agreement.json.sig"),
        Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList());
  }

  @Test
  void namesTheFileWhenLoadingFails(@TempDir Path dir) throws Exception {
    pki.agreement().writeTo(dir);
    Files.write(dir.resolve("agreement.json"), new byte[] {'{', '}'});
    AgreementException e =
        assertThrows(AgreementException.class, () -> Agreement.load(dir, pki.caCertificate()));
    assertEquals(
        dir.resolve("agreement.json")
            + ": the agreement signature does not verify against the federation authority"
            + " CN=test Federation Authority",
        e.getMessage());
  }

  @Test
  void acceptsSeveralOperatorsOfACountryEachAnOriginOfItsOwn() {
    OperatorIdentity first = pki.member("DE", "de-node").identity();
    assertEquals("DE", MemberOrigins.originOf(pki.terms().members(), first));
    OperatorIdentity second = pki.member("DE", "de-other").identity();
    List<OperatorIdentity> members = pki.terms().members();
    assertEquals("DE-de-node", MemberOrigins.originOf(members, first));
    assertEquals("DE-de-other", MemberOrigins.originOf(members, second));
    assertEquals(java.util.Set.of("DE-de-node", "DE-de-other"), MemberOrigins.origins(members));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> pki.member("DE", "de-node"));
    assertEquals("DE/de-node is a member already", e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> MemberOrigins.originOf(members, new OperatorIdentity("DE", "de-third")));
    assertEquals("DE/de-third is not a member", e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "[] | the agreement must be a JSON object",
        "{\"x\":1} | unknown field 'x' in the agreement",
        "{,} | not well-formed JSON",
        BASE + "} {} | not well-formed JSON",
        "{\"federation\":\"test\",\"federation\":\"test\"} | not well-formed JSON",
        "{\"version\":1} | missing field 'federation' in the agreement",
        BASE + ",\"extra\":1} | unknown field 'extra' in the agreement",
      })
  void refusesMalformedJson(String json, String message) {
    AgreementException e =
        assertThrows(
            AgreementException.class,
            () -> AgreementTerms.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "\"version\":1 | \"version\":0 | version must be at least 1, got 0",
        "\"version\":1 | \"version\":1.5 | 'version' must be an integer",
        "\"version\":1 | \"version\":\"1\" | 'version' must be an integer",
        "\"retention_days\":14 | \"retention_days\":91 | retention_days must be in 1..90, got 91",
        "\"retention_days\":14 | \"retention_days\":99999999999 | 'retention_days' must be an"
            + " integer",
        "\"2031-06-30\" | \"2031-02-30\" | 'sunset_date' must be a date YYYY-MM-DD, got 2031-02-30",
        "\"federation\":\"test\" | \"federation\":\" test\" | ' test' is not a federation name",
        "\"members\":[] | \"members\":{} | 'members' must be an array",
        "\"members\":[] | \"members\":[{\"country\":\"XX\",\"operator_id\":\"a\"}] | XX is not an"
            + " ISO 3166-1 alpha-2 country code",
        "\"members\":[] | \"members\":[{\"country\":\"DE\"}] | missing field 'operator_id' in a"
            + " member",
        "\"members\":[] | \"members\":[{\"country\":\"DE\",\"operator_id\":\"a\"},"
            + "{\"country\":\"DE\",\"operator_id\":\"a\"}] | DE/a is a member already",
        "\"health_authorities\":[] | \"health_authorities\":[{\"country\":\"DE\",\"name\":\"x\","
            + "\"public_key\":\"AAAA\",\"key_id\":\"00\"}] | a health authority's public_key is"
            + " not a base64 Ed25519 SubjectPublicKeyInfo",
        "\"health_authorities\":[] | \"health_authorities\":[{\"country\":\"DE\",\"name\":\"x\","
            + "\"public_key\":\"MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\","
            + "\"key_id\":\"00\"}] | the key_id of health authority 'x' is not the SHA-256 of its"
            + " public_key",
      })
  void refusesBadFields(String field, String replacement, String message) {
    String json = BASE.replace(field, replacement) + "}";
    AgreementException e =
        assertThrows(
            AgreementException.class,
            () -> AgreementTerms.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    assertTrue(e.getMessage().startsWith(message), e.getMessage());
  }

  private static byte[] signatureFile(Agreement agreement) {
    return (Base64.getEncoder().encodeToString(agreement.signature()) + "\n")
        .getBytes(StandardCharsets.US_ASCII);
  }
}

package org.fedtrace.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorIdentityTest {
  @Test
  void parsesWhatToStringWritesAndNamesWhatIsWrong() {
    OperatorIdentity de = new OperatorIdentity("DE", "op-de");
    assertEquals(de, OperatorIdentity.parse(de.toString()));
    assertEquals(
        "expected CC/operator-id, got 'DE-op-de'",
        assertThrows(IllegalArgumentException.class, () -> OperatorIdentity.parse("DE-op-de"))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> OperatorIdentity.parse("de/op-de"));
  }

  @Test
  void printsCountrySlashOperator() {
    OperatorIdentity identity = new OperatorIdentity("DE", "de-health-1");
    assertEquals("DE/de-health-1", identity.toString());
    assertEquals("urn:fedtrace:operator:DE:de-health-1", identity.uri());
  }

  @Test
  void parsesItsUri() {
    OperatorIdentity identity = new OperatorIdentity("FR", "orange");
    assertEquals(identity, OperatorIdentity.fromUri(identity.uri()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"XX", "EU", "D", "DEU", "", "1A", "UK"})
  void refusesWhatIsNotAnIsoCountryCode(String country) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OperatorIdentity(country, "op"));
    assertEquals(country + " is not an ISO 3166-1 alpha-2 country code", e.getMessage());
  }

  @Test
  void hintsAtUpperCase() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OperatorIdentity("de", "op"));
    assertEquals(
        "de is not an ISO 3166-1 alpha-2 country code (codes are upper case: DE)", e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", "Telekom", "op_1", "op.1", "op 1", "ünï", "abcdefghijklmnopqrstuvwxyz0123456"})
  void refusesBadOperatorIds(String operatorId) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new OperatorIdentity("DE", operatorId));
    assertEquals(
        "'" + operatorId + "' is not an operator id (1 to 32 of a-z, 0-9 and -)", e.getMessage());
  }

  @Test
  void acceptsTheLongestOperatorId() {
    String id = "abcdefghijklmnopqrstuvwxyz-01234";
    assertEquals(32, id.length());
    assertEquals(id, new OperatorIdentity("SE", id).operatorId());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "urn:fedtrace:operator:DE",
        "urn:fedtrace:operator:DE:",
        "urn:fedtrace:operator:de:op",
        "urn:fedtrace:operator:DE:op:extra",
        "urn:example:operator:DE:op",
        "https://example.org/DE/op"
      })
  void refusesMalformedUris(String uri) {
    assertThrows(IllegalArgumentException.class, () -> OperatorIdentity.fromUri(uri));
  }
}

package org.fedtrace.pki;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.crypto.VerifyingKey;

/**
 * The content of a federation agreement: which operators exchange keys, for how long keys are kept,
 * and the last day of exchange. Nodes take retention and sunset from here, never from local
 * configuration.
 *
 * <p>The JSON form ({@code agreement.json}):
 *
 * <pre>
 * {
 *   "federation": "eu-pilot",          1..64 of A-Z a-z 0-9 space . _ -, starting alphanumeric
 *   "version": 2,                      1 on creation, +1 on every change
 *   "retention_days": 14,              1..90
 *   "sunset_date": "2027-06-30",       last day of exchange (UTC), YYYY-MM-DD
 *   "members": [                       each identity once, sorted; several per country (§26.2)
 *     {"country": "DE", "operator_id": "de-health"}
 *   ],
 *   "health_authorities": [            upload-authorization keys, may be empty
 *     {"country": "DE", "name": "...", "public_key": "base64 DER SubjectPublicKeyInfo (Ed25519)",
 *      "key_id": "hex SHA-256 of that DER"}
 *   ],
 *   "revoked_certificates": [          optional, written only when not empty; sorted by serial
 *     {"serial": "lower-case hex", "reason": "key_compromise"}
 *   ],
 *   "sharing": [                       optional bilateral terms, see SharingTerms
 *     {"origin": "DE", "destination": "FR", "scopes": ["federate", "traveller"]}
 *   ]
 * }
 * </pre>
 *
 * Reading is strict: unknown, missing or duplicate fields, wrong types and a key id that does not
 * match its key are refused.
 *
 * @param federation the federation's name, as in the authority certificate
 * @param version 1 when created, incremented by every change
 * @param retentionDays days a diagnosis key is kept after its last interval, 1..90
 * @param sunsetDate the last day of exchange (UTC)
 * @param members the member operators, sorted by country and operator id ({@link MemberOrigins}
 *     names the origin of each)
 * @param healthAuthorities the health authorities whose upload authorizations nodes accept
 * @param extras the revoked certificates and the bilateral terms ({@link #revokedCertificates()},
 *     {@link #sharing()}), one component so that the record's constructor stays small
 */
public record AgreementTerms(
    String federation,
    long version,
    int retentionDays,
    LocalDate sunsetDate,
    List<OperatorIdentity> members,
    List<HealthAuthority> healthAuthorities,
    Extras extras) {
  /** The optional parts of an agreement: revocations (§2.6) and bilateral terms (§25.3). */
  public record Extras(List<RevokedCertificate> revokedCertificates, SharingTerms sharing) {
    /** Sorts and checks the revocations; requires the terms. */
    public Extras {
      revokedCertificates =
          revokedCertificates.stream()
              .sorted(Comparator.comparing(RevokedCertificate::serial))
              .toList();
      for (int i = 1; i < revokedCertificates.size(); i++) {
        if (revokedCertificates.get(i).serial().equals(revokedCertificates.get(i - 1).serial())) {
          throw new IllegalArgumentException(
              "certificate " + revokedCertificates.get(i).serialHex() + " is revoked twice");
        }
      }
      if (sharing == null) {
        throw new IllegalArgumentException("sharing is missing (SharingTerms.ALL when absent)");
      }
    }
  }

  /** Shortest retention an agreement may set. */
  public static final int MIN_RETENTION_DAYS = 1;

  /** Longest retention an agreement may set. */
  public static final int MAX_RETENTION_DAYS = 90;

  private static final Pattern FEDERATION_NAME =
      Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}");
  private static final List<String> FIELDS =
      List.of(
          "federation",
          "version",
          "retention_days",
          "sunset_date",
          "members",
          "health_authorities");
  private static final String REVOKED = "revoked_certificates";
  private static final List<String> MEMBER_FIELDS = List.of("country", "operator_id");
  private static final List<String> AUTHORITY_FIELDS =
      List.of("country", "name", "public_key", "key_id");
  private static final List<String> REVOCATION_FIELDS = List.of("serial", "reason");
  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final ObjectWriter WRITER = MAPPER.writer(prettyPrinter());

  /**
   * @throws IllegalArgumentException if a field is out of range or an operator appears twice
   */
  public AgreementTerms {
    requireFederationName(federation);
    if (version < 1) {
      throw new IllegalArgumentException("version must be at least 1, got " + version);
    }
    if (retentionDays < MIN_RETENTION_DAYS || retentionDays > MAX_RETENTION_DAYS) {
      throw new IllegalArgumentException("retention_days must be in 1..90, got " + retentionDays);
    }
    if (sunsetDate == null) {
      throw new IllegalArgumentException("sunset_date is missing");
    }
    members =
        members.stream()
            .sorted(
                Comparator.comparing(OperatorIdentity::country)
                    .thenComparing(OperatorIdentity::operatorId))
            .toList();
    requireDistinct(members);
    healthAuthorities = List.copyOf(healthAuthorities);
    requireDistinctKeys(healthAuthorities);
    extras.sharing().requireMembers(members);
  }

  /** The certificates of the authority that nodes refuse before they expire (spec §2.6). */
  public List<RevokedCertificate> revokedCertificates() {
    return extras.revokedCertificates();
  }

  /** Which origin may send which scope to which destination (spec §25.3). */
  public SharingTerms sharing() {
    return extras.sharing();
  }

  /** Terms without bilateral terms: every member sends every scope to every other. */
  public AgreementTerms(
      String federation,
      long version,
      int retentionDays,
      LocalDate sunsetDate,
      List<OperatorIdentity> members,
      List<HealthAuthority> healthAuthorities,
      List<RevokedCertificate> revokedCertificates) {
    this(
        federation,
        version,
        retentionDays,
        sunsetDate,
        members,
        healthAuthorities,
        new Extras(revokedCertificates, SharingTerms.ALL));
  }

  /** Terms that revoke no certificate. */
  public AgreementTerms(
      String federation,
      long version,
      int retentionDays,
      LocalDate sunsetDate,
      List<OperatorIdentity> members,
      List<HealthAuthority> healthAuthorities) {
    this(federation, version, retentionDays, sunsetDate, members, healthAuthorities, List.of());
  }

  /** Version 1 of an agreement: no members, no health authorities yet. */
  public static AgreementTerms initial(String federation, int retentionDays, LocalDate sunsetDate) {
    return new AgreementTerms(federation, 1, retentionDays, sunsetDate, List.of(), List.of());
  }

  /**
   * Checks a federation name: 1 to 64 of {@code A-Z a-z 0-9 space . _ -}, starting with a letter or
   * digit.
   *
   * @return {@code federation}
   * @throws IllegalArgumentException if it is not a valid name
   */
  public static String requireFederationName(String federation) {
    if (federation == null || !FEDERATION_NAME.matcher(federation).matches()) {
      throw new IllegalArgumentException(
          "'"
              + federation
              + "' is not a federation name (1 to 64 of A-Z, a-z, 0-9, space, '.', '_' and '-',"
              + " starting with a letter or digit)");
    }
    return federation;
  }

  /**
   * The next version, with {@code operator} added as a member.
   *
   * @throws IllegalArgumentException if it is a member already (a country may have several members,
   *     each an origin of its own, spec §26.2)
   */
  public AgreementTerms withMember(OperatorIdentity operator) {
    if (members.contains(operator)) {
      throw new IllegalArgumentException(operator + " is a member already");
    }
    List<OperatorIdentity> more = new ArrayList<>(members);
    more.add(operator);
    return new AgreementTerms(
        federation, version + 1, retentionDays, sunsetDate, more, healthAuthorities, extras);
  }

  /**
   * The next version, with {@code revoked} added to the revoked certificates.
   *
   * @throws IllegalArgumentException if that serial is revoked already
   */
  public AgreementTerms withRevoked(RevokedCertificate revoked) {
    if (isRevoked(revoked.serial())) {
      throw new IllegalArgumentException(
          "certificate " + revoked.serialHex() + " is revoked already");
    }
    List<RevokedCertificate> more = new ArrayList<>(revokedCertificates());
    more.add(revoked);
    return new AgreementTerms(
        federation,
        version + 1,
        retentionDays,
        sunsetDate,
        members,
        healthAuthorities,
        new Extras(more, sharing()));
  }

  /** The next version, with {@code terms} as its bilateral terms (spec §25.3). */
  public AgreementTerms withSharing(SharingTerms terms) {
    return new AgreementTerms(
        federation,
        version + 1,
        retentionDays,
        sunsetDate,
        members,
        healthAuthorities,
        new Extras(revokedCertificates(), terms));
  }

  /** Whether the certificate of serial number {@code serial} is revoked. */
  public boolean isRevoked(BigInteger serial) {
    return revokedCertificates().stream().anyMatch(r -> r.serial().equals(serial));
  }

  /** Whether {@code operator} is a member. */
  public boolean isMember(OperatorIdentity operator) {
    return members.contains(operator);
  }

  /** The JSON form, pretty-printed with a final newline. */
  public byte[] toJson() {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("federation", federation);
    root.put("version", version);
    root.put("retention_days", retentionDays);
    root.put("sunset_date", sunsetDate.toString());
    ArrayNode memberArray = root.putArray("members");
    for (OperatorIdentity member : members) {
      memberArray
          .addObject()
          .put("country", member.country())
          .put("operator_id", member.operatorId());
    }
    ArrayNode authorityArray = root.putArray("health_authorities");
    for (HealthAuthority authority : healthAuthorities) {
      authorityArray
          .addObject()
          .put("country", authority.country())
          .put("name", authority.name())
          .put(
              "public_key",
              Base64.getEncoder().encodeToString(authority.publicKey().subjectPublicKeyInfo()))
          .put("key_id", authority.keyIdHex());
    }
    if (!revokedCertificates().isEmpty()) {
      ArrayNode revokedArray = root.putArray(REVOKED);
      for (RevokedCertificate r : revokedCertificates()) {
        revokedArray.addObject().put("serial", r.serialHex()).put("reason", r.reason().json());
      }
    }
    sharing().write(root);
    try {
      return (WRITER.writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Reads the JSON form.
   *
   * @throws AgreementException if {@code json} is not a well-formed agreement; the message names
   *     the field
   */
  public static AgreementTerms fromJson(byte[] json) throws AgreementException {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AgreementException("not well-formed JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new AgreementException("not well-formed JSON", e);
    }
    try {
      requireObject(root, "the agreement", FIELDS, REVOKED, SharingTerms.FIELD);
      List<OperatorIdentity> members = new ArrayList<>();
      for (JsonNode member : array(root, "members")) {
        requireObject(member, "a member", MEMBER_FIELDS);
        members.add(new OperatorIdentity(text(member, "country"), text(member, "operator_id")));
      }
      List<HealthAuthority> authorities = new ArrayList<>();
      for (JsonNode authority : array(root, "health_authorities")) {
        authorities.add(healthAuthority(authority));
      }
      List<RevokedCertificate> revoked = new ArrayList<>();
      if (root.has(REVOKED)) {
        for (JsonNode r : array(root, REVOKED)) {
          requireObject(r, "a revoked certificate", REVOCATION_FIELDS);
          revoked.add(
              new RevokedCertificate(
                  RevokedCertificate.parseSerial(text(r, "serial")),
                  RevokedCertificate.Reason.fromJson(text(r, "reason"))));
        }
      }
      return new AgreementTerms(
          text(root, "federation"),
          integer(root, "version", Long.MAX_VALUE),
          (int) integer(root, "retention_days", Integer.MAX_VALUE),
          date(root, "sunset_date"),
          members,
          authorities,
          new Extras(revoked, SharingTerms.read(root.get(SharingTerms.FIELD))));
    } catch (IllegalArgumentException e) {
      throw new AgreementException(e.getMessage(), e);
    }
  }

  private static HealthAuthority healthAuthority(JsonNode node) {
    requireObject(node, "a health authority", AUTHORITY_FIELDS);
    VerifyingKey key;
    try {
      key =
          CertificateKeys.verifyingKeyFromSpki(
              Base64.getDecoder().decode(text(node, "public_key")));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "a health authority's public_key is not a base64 Ed25519 SubjectPublicKeyInfo", e);
    }
    HealthAuthority authority = new HealthAuthority(text(node, "country"), text(node, "name"), key);
    if (!authority.keyIdHex().equals(text(node, "key_id"))) {
      throw new IllegalArgumentException(
          "the key_id of health authority '"
              + authority.name()
              + "' is not the SHA-256 of its public_key");
    }
    return authority;
  }

  /** Requires an object of exactly {@code fields}, plus any of the {@code optional} ones. */
  private static void requireObject(
      JsonNode node, String what, List<String> fields, String... optional) {
    if (!node.isObject()) {
      throw new IllegalArgumentException(what + " must be a JSON object");
    }
    List<String> allowed = new ArrayList<>(fields);
    allowed.addAll(List.of(optional));
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new IllegalArgumentException("unknown field '" + name + "' in " + what);
      }
    }
    for (String field : fields) {
      if (!node.has(field)) {
        throw new IllegalArgumentException("missing field '" + field + "' in " + what);
      }
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isTextual()) {
      throw new IllegalArgumentException("'" + field + "' must be a string");
    }
    return value.textValue();
  }

  private static long integer(JsonNode node, String field, long max) {
    JsonNode value = node.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() > max) {
      throw new IllegalArgumentException("'" + field + "' must be an integer");
    }
    return value.longValue();
  }

  private static LocalDate date(JsonNode node, String field) {
    String text = text(node, field);
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + field + "' must be a date YYYY-MM-DD, got " + text);
    }
  }

  private static JsonNode array(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (!value.isArray()) {
      throw new IllegalArgumentException("'" + field + "' must be an array");
    }
    return value;
  }

  private static void requireDistinct(List<OperatorIdentity> members) {
    for (int i = 1; i < members.size(); i++) {
      if (members.get(i - 1).equals(members.get(i))) {
        throw new IllegalArgumentException(members.get(i) + " is a member already");
      }
    }
  }

  private static void requireDistinctKeys(List<HealthAuthority> authorities) {
    Set<String> keyIds = new HashSet<>();
    for (HealthAuthority authority : authorities) {
      if (!keyIds.add(authority.keyIdHex())) {
        throw new IllegalArgumentException(
            "health authority key " + authority.keyIdHex() + " is listed twice");
      }
    }
  }

  private static DefaultPrettyPrinter prettyPrinter() {
    DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                    .withArrayEmptySeparator("")
                    .withObjectEmptySeparator(""));
    printer.indentArraysWith(indenter);
    printer.indentObjectsWith(indenter);
    return printer;
  }
}

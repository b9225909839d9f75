package org.fedtrace.conformance.kit;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Optional;

/**
 * A conformance test kit, as {@link KitWriter} writes it and {@code fedtrace conformance --tls DIR}
 * reads it: the federation authority certificate, the agreement the node under test enforces, and
 * the test operators' credentials.
 */
public final class Kit {
  /** The kit's manifest: node identity, test members, health authority. */
  public static final String MANIFEST = "kit.json";

  /** The federation authority certificate. */
  public static final String CA = "ca.crt";

  /** The agreement the node under test must run (with {@code agreement.json.sig} beside it). */
  public static final String AGREEMENT = "agreement.json";

  /**
   * The folder of the agreement whose sunset has passed: the kit's agreement one version later with
   * a sunset date two days back, for the second pass of a remote run (spec/conformance.md §6.3).
   */
  public static final String PAST_SUNSET = "past-sunset";

  /**
   * The folder of the auditor credential (spec/transparency.md §15.7): {@code tls.crt} and {@code
   * tls.key}, an identity that is not a member.
   */
  public static final String AUDITOR = "auditor";

  /**
   * The folder of the regional pass (spec/conformance.md §6.4): {@code agreement.json} (the kit's
   * agreement one version later, with a second member of the node's country) and the credentials of
   * that member in {@value #SIBLING}.
   */
  public static final String REGIONAL = "regional";

  /** The sibling's folder inside {@value #REGIONAL}. */
  public static final String SIBLING = "sibling";

  /** The health authority's private key (PKCS#8 PEM). */
  public static final String HA_KEY = "ha.key";

  /** The health authority's public key (PEM SubjectPublicKeyInfo). */
  public static final String HA_PUBLIC_KEY = "ha.pub";

  /**
   * A test operator: its identity and its two credentials.
   *
   * @param signing the batch-signing credential, or null where the kit has none
   */
  public record Operator(Identity identity, Credential tls, Credential signing) {}

  /**
   * The health authority trusted for the node's uploads.
   *
   * @param spki its public key's DER SubjectPublicKeyInfo, whose SHA-256 is the key id
   */
  public record HealthAuthority(String country, PrivateKey key, byte[] spki) {}

  private final Path dir;
  private final X509Certificate ca;
  private final Optional<byte[]> agreement;
  private final Optional<byte[]> pastSunsetAgreement;
  private final Optional<Identity> node;
  private final Operator memberA;
  private final Operator memberB;
  private final Operator nonMember;
  private final Operator expired;
  private final Operator foreignCa;
  private final Operator noIdentity;
  private final Credential serverOnly;
  private final Optional<Operator> revoked;
  private final Optional<Credential> auditor;
  private final Optional<Credential> backend;
  private final Optional<Operator> backendSigner;
  private final Optional<HealthAuthority> healthAuthority;
  private final Optional<Operator> memberC;
  private final Optional<Operator> memberD;
  private final Optional<Operator> sibling;
  private final Optional<byte[]> regionalAgreement;

  private Kit(Path dir) throws IOException {
    this.dir = dir;
    JsonObject manifest = manifest(dir.resolve(MANIFEST));
    this.ca = Pem.readCertificate(dir.resolve(CA));
    Path agreementFile = dir.resolve(AGREEMENT);
    this.agreement =
        Files.exists(agreementFile)
            ? Optional.of(Files.readAllBytes(agreementFile))
            : Optional.empty();
    Path pastSunsetFile = dir.resolve(PAST_SUNSET).resolve(AGREEMENT);
    this.pastSunsetAgreement =
        Files.exists(pastSunsetFile)
            ? Optional.of(Files.readAllBytes(pastSunsetFile))
            : Optional.empty();
    this.node =
        manifest.has("node")
            ? Optional.of(
                new Identity(
                    manifest.getAsJsonObject("node").get("country").getAsString(),
                    manifest.getAsJsonObject("node").get("operator_id").getAsString()))
            : Optional.empty();
    this.memberA = operator("member-a");
    this.memberB = operator("member-b");
    this.nonMember = operator("non-member");
    this.expired = operator("expired");
    this.foreignCa = operator("foreign-ca");
    this.noIdentity = operator("no-identity");
    this.serverOnly = credential("server-only", "tls");
    this.revoked =
        Files.isDirectory(dir.resolve("revoked"))
            ? Optional.of(operator("revoked"))
            : Optional.empty();
    this.auditor =
        Files.isDirectory(dir.resolve(AUDITOR))
            ? Optional.of(credential(AUDITOR, "tls"))
            : Optional.empty();
    this.backend =
        Files.isDirectory(dir.resolve("backend"))
            ? Optional.of(credential("backend", "tls"))
            : Optional.empty();
    this.backendSigner =
        Files.exists(dir.resolve("backend").resolve("signing.crt"))
            ? Optional.of(operator("backend"))
            : Optional.empty();
    this.memberC = optionalOperator("member-c");
    this.memberD = optionalOperator("member-d");
    this.sibling = optionalOperator(REGIONAL + "/" + SIBLING);
    Path regionalFile = dir.resolve(REGIONAL).resolve(AGREEMENT);
    this.regionalAgreement =
        Files.exists(regionalFile)
            ? Optional.of(Files.readAllBytes(regionalFile))
            : Optional.empty();
    if (manifest.has("health_authority")) {
      JsonObject ha = manifest.getAsJsonObject("health_authority");
      this.healthAuthority =
          Optional.of(
              new HealthAuthority(
                  ha.get("country").getAsString(),
                  Pem.readPrivateKey(dir.resolve("health-authority").resolve(HA_KEY)),
                  Base64.getDecoder().decode(ha.get("public_key").getAsString())));
    } else {
      this.healthAuthority = Optional.empty();
    }
  }

  /**
   * Loads the kit in {@code dir}.
   *
   * @throws IOException naming the missing or malformed file
   */
  public static Kit load(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("test kit " + dir + " is not a folder");
    }
    return new Kit(dir);
  }

  private static JsonObject manifest(Path file) throws IOException {
    try {
      return JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
          .getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      throw new IOException(file + ": not a kit manifest: " + e.getMessage(), e);
    }
  }

  private Optional<Operator> optionalOperator(String folder) throws IOException {
    return Files.isDirectory(dir.resolve(folder))
        ? Optional.of(operator(folder))
        : Optional.empty();
  }

  private Operator operator(String folder) throws IOException {
    Credential tls = credential(folder, "tls");
    Path signingCert = dir.resolve(folder).resolve("signing.crt");
    Credential signing = Files.exists(signingCert) ? credential(folder, "signing") : null;
    Identity identity =
        Identity.of(tls.certificate())
            .or(() -> signing == null ? Optional.empty() : Identity.of(signing.certificate()))
            .orElse(null);
    return new Operator(identity, tls, signing);
  }

  private Credential credential(String folder, String name) throws IOException {
    Path f = dir.resolve(folder);
    return new Credential(
        folder + "/" + name,
        Pem.readCertificate(f.resolve(name + ".crt")),
        Pem.readPrivateKey(f.resolve(name + ".key")));
  }

  /**
   * Member A's identity on certificates the agreement revokes (spec §2.6); empty in a kit written
   * before revocation existed.
   */
  public Optional<Operator> revoked() {
    return revoked;
  }

  /**
   * The auditor's TLS credential ({@value #AUDITOR}): the federation authority's auditor
   * certificate of an identity that is not a member (spec/transparency.md §15.7); empty in a kit
   * written before spec 0.8.0.
   */
  public Optional<Credential> auditor() {
    return auditor;
  }

  /** The kit's folder. */
  public Path dir() {
    return dir;
  }

  /** The federation authority certificate: the suite's only trust anchor for the node. */
  public X509Certificate ca() {
    return ca;
  }

  /** The exact bytes of the agreement the node under test is configured with, if the kit has it. */
  public Optional<byte[]> agreement() {
    return agreement.map(byte[]::clone);
  }

  /**
   * The exact bytes of the kit's past-sunset agreement ({@value #PAST_SUNSET}), if the kit has one
   * (kits written before spec 0.7.0 have none).
   */
  public Optional<byte[]> pastSunsetAgreement() {
    return pastSunsetAgreement.map(byte[]::clone);
  }

  /** The node's identity, when the kit was made for a given node. */
  public Optional<Identity> node() {
    return node;
  }

  /** The first test member (publishes most test batches). */
  public Operator memberA() {
    return memberA;
  }

  /** The second test member, of another country (pulls and forwards). */
  public Operator memberB() {
    return memberB;
  }

  /** Valid certificates of an identity that is not a member, of member A's country. */
  public Operator nonMember() {
    return nonMember;
  }

  /** Member A's identity with certificates that expired a day ago. */
  public Operator expired() {
    return expired;
  }

  /** Member A's identity with certificates from another authority of the same name. */
  public Operator foreignCa() {
    return foreignCa;
  }

  /** Certificates of the authority carrying no identity URI. */
  public Operator noIdentity() {
    return noIdentity;
  }

  /** A TLS certificate of member A's identity with serverAuth but without clientAuth. */
  public Credential serverOnly() {
    return serverOnly;
  }

  /** A TLS credential with the node's own identity: its backend, which may upload. */
  public Optional<Credential> backend() {
    return backend;
  }

  /**
   * The node's own identity with a batch-signing credential of its country (kits written before
   * spec 0.6.0 have none).
   */
  public Optional<Operator> backendSigner() {
    return backendSigner;
  }

  /** The health authority trusted for the node's country, if the kit has one. */
  public Optional<HealthAuthority> healthAuthority() {
    return healthAuthority;
  }

  /**
   * Regional member C: one of two members of a test country of the kit's own (spec §26.2), whose
   * origin is {@code CC-conformance-c}; empty in a kit written before spec 0.8.0 regional members.
   */
  public Optional<Operator> memberC() {
    return memberC;
  }

  /** Regional member D, of member C's country; empty where {@link #memberC} is. */
  public Optional<Operator> memberD() {
    return memberD;
  }

  /**
   * The node's sibling: a second member of the node's country, which only the regional agreement
   * admits (spec/conformance.md §6.4); empty in a kit without it.
   */
  public Optional<Operator> sibling() {
    return sibling;
  }

  /** The exact bytes of the kit's regional agreement ({@value #REGIONAL}), if it has one. */
  public Optional<byte[]> regionalAgreement() {
    return regionalAgreement.map(byte[]::clone);
  }
}

package org.fedtrace.conformance.kit;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.fedtrace.conformance.wire.Canonical;

/**
 * Writes a conformance test kit: the test operators' credentials, minted from the certificate
 * profiles of spec §2.2 with the federation authority's key, including deliberately bad ones. It
 * does not touch the agreement: the caller adds {@link Plan#members()} and {@link
 * Plan#healthAuthority()} to it with the authority's own tooling and writes it into the kit as
 * {@value Kit#AGREEMENT} (with its {@code .sig}).
 *
 * <p>Kit layout: {@value Kit#MANIFEST}, {@value Kit#CA}, and folders {@code member-a}, {@code
 * member-b}, {@code non-member}, {@code expired}, {@code foreign-ca}, {@code no-identity}, {@code
 * revoked} (member A's identity, certificates the agreement must revoke) (each {@code tls.crt
 * tls.key signing.crt signing.key}), {@code server-only} ({@code tls.*}), {@code auditor} ({@code
 * tls.*}: an auditor certificate of an identity that is not a member, spec/transparency.md §15.7),
 * and when a node identity is given {@code backend} ({@code tls.* signing.*}: the node's own
 * identity, for uploads and R8.36) and {@code health-authority} ({@code ha.key ha.pub}). With a
 * third country, {@code member-c} and {@code member-d}: two members of that country (spec §26.2).
 * With a node identity, {@code regional/sibling}: a second member of the node's country, admitted
 * only by the regional agreement the caller writes into {@code regional}.
 */
public final class KitWriter {
  /** The fedtrace batch-signing extended key usage (spec §2.2). */
  public static final String BATCH_SIGNING_OID = "2.25.300197075450569156069552589884815148638";

  /** The fedtrace auditor extended key usage (spec/transparency.md §15.7). */
  public static final String AUDITOR_OID = "2.25.74416367111856278331818518909510148613";

  /** The operator id of the kit's auditor, of member A's country; never a member. */
  public static final String AUDITOR_ID = "conformance-auditor";

  /** The operator ids of the kit's regional members C and D, of one country (spec §26.2). */
  public static final List<String> REGIONAL_IDS = List.of("conformance-c", "conformance-d");

  /**
   * The operator id of the node's sibling: a second member of the node's country, listed only in
   * the kit's regional agreement ({@value Kit#REGIONAL}).
   */
  public static final String SIBLING_ID = "conformance-sibling";

  private static final Duration VALIDITY = Duration.ofDays(90);

  private final X509Certificate ca;
  private final PrivateKey caKey;
  private final SecureRandom random = new SecureRandom();
  private final Instant now;

  /**
   * What the caller must add to the agreement.
   *
   * @param members the test operators that must be members
   * @param healthAuthority the health authority to trust for uploads, if a node identity was given
   * @param revoked the serial numbers of the certificates in {@code revoked}, which the agreement
   *     must list in revoked_certificates (spec §2.6)
   * @param sibling the node's sibling, a second member of its country, when a node identity was
   *     given: the caller adds it to a later version of the agreement only, written into the kit's
   *     {@value Kit#REGIONAL} folder (spec/conformance.md §6.4)
   */
  public record Plan(
      List<Identity> members,
      Optional<HealthAuthorityKey> healthAuthority,
      List<BigInteger> revoked,
      Optional<Identity> sibling) {}

  /**
   * A health authority's Ed25519 key.
   *
   * @param spki the DER SubjectPublicKeyInfo of its public key
   */
  public record HealthAuthorityKey(String country, byte[] spki) {
    /** The key id: SHA-256 of the SubjectPublicKeyInfo, lower-case hex. */
    public String keyIdHex() {
      return HexFormat.of().formatHex(Canonical.sha256(spki));
    }
  }

  /** A writer minting with the authority's certificate and key, valid around {@code now}. */
  public KitWriter(X509Certificate ca, PrivateKey caKey, Instant now) {
    this.ca = ca;
    this.caKey = caKey;
    this.now = now;
  }

  /**
   * Writes a kit into the new folder {@code out}.
   *
   * @param node the identity of the node under test, for the upload cases; empty to leave them out
   * @param countries the two member countries, e.g. XA and XB, and optionally a third, the country
   *     of the regional members C and D (spec §26.2); none may be a member country yet, nor the
   *     node's
   * @throws IOException if {@code out} exists or cannot be written
   */
  public Plan write(Path out, Optional<Identity> node, List<String> countries) throws IOException {
    if (countries.size() < 2
        || countries.size() > 3
        || Set.copyOf(countries).size() != countries.size()) {
      throw new IllegalArgumentException(
          "a kit needs two different member countries, and optionally a third for regional"
              + " members");
    }
    final Identity a = new Identity(countries.get(0), "conformance-a");
    final Identity b = new Identity(countries.get(1), "conformance-b");
    if (node.isPresent() && countries.contains(node.get().country())) {
      throw new IllegalArgumentException("the test operators need countries other than the node's");
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.createDirectory(
        out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Pem.writeCertificate(out.resolve(Kit.CA), ca);
    Instant notAfter = min(now.plus(VALIDITY), ca.getNotAfter().toInstant());
    Instant notBefore = now.minus(Duration.ofHours(1));
    operator(out.resolve("member-a"), a, notBefore, notAfter);
    operator(out.resolve("member-b"), b, notBefore, notAfter);
    operator(
        out.resolve("non-member"), new Identity(a.country(), "conformance-x"), notBefore, notAfter);
    operator(
        out.resolve("expired"), a, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    foreign(out.resolve("foreign-ca"), a, notBefore, notAfter);
    noIdentity(out.resolve("no-identity"), a, notBefore, notAfter);
    serverOnly(out.resolve("server-only"), a, notBefore, notAfter);
    operator(out.resolve("revoked"), a, notBefore, notAfter);
    auditor(out.resolve(Kit.AUDITOR), new Identity(a.country(), AUDITOR_ID), notBefore, notAfter);
    List<Identity> members = new ArrayList<>(List.of(a, b));
    if (countries.size() == 3) {
      // two members of one country (spec §26.2): their origins are CC-conformance-c and -d
      for (String id : REGIONAL_IDS) {
        Identity m = new Identity(countries.get(2), id);
        operator(out.resolve("member-" + id.substring(id.length() - 1)), m, notBefore, notAfter);
        members.add(m);
      }
    }
    List<BigInteger> revoked =
        List.of(
            Pem.readCertificate(out.resolve("revoked").resolve("tls.crt")).getSerialNumber(),
            Pem.readCertificate(out.resolve("revoked").resolve("signing.crt")).getSerialNumber());
    Optional<HealthAuthorityKey> ha = Optional.empty();
    Optional<Identity> sibling = Optional.empty();
    if (node.isPresent()) {
      if (node.get().operatorId().equals(SIBLING_ID)) {
        throw new IllegalArgumentException(
            "the node's operator id is the sibling's: " + SIBLING_ID);
      }
      // a second member of the node's country, for the regional pass (spec/conformance.md §6.4)
      sibling = Optional.of(new Identity(node.get().country(), SIBLING_ID));
      operator(
          dir(out.resolve(Kit.REGIONAL)).resolve(Kit.SIBLING), sibling.get(), notBefore, notAfter);
      // the node's own identity: TLS for uploads, and a second batch-signing certificate of its
      // country, with which the suite signs a batch the node must not take from a peer (R8.36)
      credentials(
          dir(out.resolve("backend")), node.get(), true, federationCa(), notBefore, notAfter);
      ha = Optional.of(healthAuthority(out.resolve("health-authority"), node.get().country()));
    }
    manifest(out, node, members, ha);
    return new Plan(List.copyOf(members), ha, revoked, sibling);
  }

  private void operator(Path dir, Identity id, Instant notBefore, Instant notAfter)
      throws IOException {
    dir(dir);
    credentials(dir, id, true, federationCa(), notBefore, notAfter);
  }

  /** A member whose certificates a foreign authority of the same name issued (its CA beside). */
  private void foreign(Path dir, Identity id, Instant notBefore, Instant notAfter)
      throws IOException {
    KeyPair foreignCa = generate("EC");
    Issuer issuer =
        new Issuer(
            X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()),
            foreignCa.getPublic(),
            foreignCa.getPrivate());
    Profile authority =
        new Profile(
            issuer.name(), KeyUsage.keyCertSign | KeyUsage.cRLSign, List.of(), List.of(), true);
    dir(dir);
    Pem.writeCertificate(
        dir.resolve(Kit.CA), build(authority, foreignCa.getPublic(), issuer, notBefore, notAfter));
    credentials(dir, id, true, issuer, notBefore, notAfter);
  }

  /** Certificates by the federation authority that carry no operator identity. */
  private void noIdentity(Path dir, Identity id, Instant notBefore, Instant notAfter)
      throws IOException {
    dir(dir);
    credentials(dir, id, false, federationCa(), notBefore, notAfter);
  }

  /** A TLS and a signing credential for {@code id} in {@code dir}, issued by {@code issuer}. */
  private void credentials(
      Path dir,
      Identity id,
      boolean withIdentity,
      Issuer issuer,
      Instant notBefore,
      Instant notAfter)
      throws IOException {
    KeyPair tls = generate("EC");
    KeyPair signing = generate("Ed25519");
    writeCredential(
        dir,
        "tls",
        tls,
        build(tlsProfile(id, true, withIdentity), tls.getPublic(), issuer, notBefore, notAfter));
    writeCredential(
        dir,
        "signing",
        signing,
        build(signingProfile(id, withIdentity), signing.getPublic(), issuer, notBefore, notAfter));
  }

  /** Who signs a certificate: its name and key pair. */
  private record Issuer(X500Name name, PublicKey publicKey, PrivateKey privateKey) {}

  private Issuer federationCa() {
    return new Issuer(
        X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), ca.getPublicKey(), caKey);
  }

  private void serverOnly(Path dir, Identity id, Instant notBefore, Instant notAfter)
      throws IOException {
    dir(dir);
    KeyPair tls = generate("EC");
    writeCredential(
        dir, "tls", tls, issue(tlsProfile(id, false, true), tls.getPublic(), notBefore, notAfter));
  }

  /**
   * An auditor's TLS client certificate (spec/transparency.md §15.7): digitalSignature, clientAuth
   * and the auditor purpose, the identity URI and no host name.
   */
  private void auditor(Path dir, Identity id, Instant notBefore, Instant notAfter)
      throws IOException {
    dir(dir);
    KeyPair tls = generate("EC");
    Profile p =
        new Profile(
            subject(id),
            KeyUsage.digitalSignature,
            List.of(
                KeyPurposeId.id_kp_clientAuth,
                KeyPurposeId.getInstance(new ASN1ObjectIdentifier(AUDITOR_OID))),
            List.of(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri())),
            false);
    writeCredential(dir, "tls", tls, issue(p, tls.getPublic(), notBefore, notAfter));
  }

  private HealthAuthorityKey healthAuthority(Path dir, String country) throws IOException {
    dir(dir);
    KeyPair pair = generate("Ed25519");
    Pem.writePrivateKey(dir.resolve(Kit.HA_KEY), pair.getPrivate());
    Pem.writePublicKey(dir.resolve(Kit.HA_PUBLIC_KEY), pair.getPublic().getEncoded());
    return new HealthAuthorityKey(country, pair.getPublic().getEncoded());
  }

  private static void manifest(
      Path out, Optional<Identity> node, List<Identity> members, Optional<HealthAuthorityKey> ha)
      throws IOException {
    JsonObject m = new JsonObject();
    m.addProperty("format", 1);
    node.ifPresent(n -> m.add("node", identity(n)));
    JsonArray list = new JsonArray();
    members.forEach(i -> list.add(identity(i)));
    m.add("members", list);
    ha.ifPresent(
        h -> {
          JsonObject o = new JsonObject();
          o.addProperty("country", h.country());
          o.addProperty("key_id", h.keyIdHex());
          o.addProperty("public_key", Base64.getEncoder().encodeToString(h.spki()));
          m.add("health_authority", o);
        });
    Files.writeString(
        out.resolve(Kit.MANIFEST),
        new GsonBuilder().setPrettyPrinting().create().toJson(m) + "\n",
        StandardCharsets.UTF_8);
  }

  private static JsonObject identity(Identity i) {
    JsonObject o = new JsonObject();
    o.addProperty("country", i.country());
    o.addProperty("operator_id", i.operatorId());
    return o;
  }

  /** The certificate contents besides key, issuer and validity. */
  private record Profile(
      X500Name subject,
      int keyUsage,
      List<KeyPurposeId> extendedKeyUsages,
      List<GeneralName> alternativeNames,
      boolean ca) {}

  private static Profile tlsProfile(Identity id, boolean clientAuth, boolean withIdentity) {
    List<KeyPurposeId> eku = new ArrayList<>(List.of(KeyPurposeId.id_kp_serverAuth));
    if (clientAuth) {
      eku.add(KeyPurposeId.id_kp_clientAuth);
    }
    List<GeneralName> names = new ArrayList<>();
    if (withIdentity) {
      names.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()));
    }
    names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    return new Profile(subject(id), KeyUsage.digitalSignature, eku, names, false);
  }

  private static Profile signingProfile(Identity id, boolean withIdentity) {
    List<GeneralName> names =
        withIdentity
            ? List.of(new GeneralName(GeneralName.uniformResourceIdentifier, id.uri()))
            : List.of();
    return new Profile(
        subject(id),
        KeyUsage.digitalSignature | KeyUsage.nonRepudiation,
        List.of(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(BATCH_SIGNING_OID))),
        names,
        false);
  }

  private static X500Name subject(Identity id) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, id.country())
        .addRDN(BCStyle.O, id.operatorId())
        .addRDN(BCStyle.CN, id.operatorId())
        .build();
  }

  private X509Certificate issue(Profile p, PublicKey key, Instant notBefore, Instant notAfter) {
    return build(p, key, federationCa(), notBefore, notAfter);
  }

  private X509Certificate build(
      Profile p, PublicKey key, Issuer by, Instant notBefore, Instant notAfter) {
    X500Name issuer = by.name();
    PublicKey issuerKey = by.publicKey();
    PrivateKey issuerPrivateKey = by.privateKey();
    byte[] serial = new byte[16];
    random.nextBytes(serial);
    serial[0] = (byte) ((serial[0] & 0x7f) | 0x01);
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
    X509v3CertificateBuilder b =
        new X509v3CertificateBuilder(
            issuer,
            new BigInteger(1, serial),
            Date.from(notBefore),
            Date.from(notAfter),
            p.subject(),
            spki);
    try {
      b.addExtension(
          Extension.basicConstraints,
          true,
          p.ca() ? new BasicConstraints(0) : new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(p.keyUsage()));
      if (!p.extendedKeyUsages().isEmpty()) {
        b.addExtension(
            Extension.extendedKeyUsage,
            false,
            new ExtendedKeyUsage(p.extendedKeyUsages().toArray(KeyPurposeId[]::new)));
      }
      if (!p.alternativeNames().isEmpty()) {
        b.addExtension(
            Extension.subjectAlternativeName,
            false,
            new GeneralNames(p.alternativeNames().toArray(GeneralName[]::new)));
      }
      b.addExtension(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(keyId(spki)));
      b.addExtension(
          Extension.authorityKeyIdentifier,
          false,
          new AuthorityKeyIdentifier(
              keyId(SubjectPublicKeyInfo.getInstance(issuerKey.getEncoded()))));
      return new JcaX509CertificateConverter()
          .getCertificate(
              b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerPrivateKey)));
    } catch (CertIOException
        | OperatorCreationException
        | java.security.cert.CertificateException e) {
      throw new IllegalStateException("cannot mint a test certificate", e);
    }
  }

  private static byte[] keyId(SubjectPublicKeyInfo spki) {
    return Arrays.copyOf(Canonical.sha256(spki.getPublicKeyData().getBytes()), 20);
  }

  private KeyPair generate(String algorithm) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
      if (algorithm.equals("EC")) {
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
      }
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate " + algorithm + " keys", e);
    }
  }

  private static void writeCredential(
      Path dir, String name, KeyPair pair, X509Certificate certificate) throws IOException {
    Pem.writeCertificate(dir.resolve(name + ".crt"), certificate);
    Pem.writePrivateKey(dir.resolve(name + ".key"), pair.getPrivate());
  }

  private static Path dir(Path dir) throws IOException {
    return Files.createDirectory(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

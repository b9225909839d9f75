package org.fedtrace.pki;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.util.IPAddress;

/**
 * The names and identifiers of the fedtrace certificate profiles, shared by issuance ({@link
 * FederationAuthority}) and validation ({@link CertificateValidator}).
 */
public final class CertificateProfile {
  /**
   * The extended key usage of batch-signing certificates: {@code 2.25.} followed by the decimal
   * value of the UUID e1d7da8a-f445-42ca-b4f4-64dfbf55865e (ITU-T X.667).
   */
  public static final String BATCH_SIGNING_EKU_OID = "2.25.300197075450569156069552589884815148638";

  /**
   * The extended key usage that makes a TLS client certificate an auditor certificate
   * (spec/transparency.md §15.7): {@code 2.25.} followed by the decimal value of the UUID
   * 37fc122b-91e4-425d-bc80-b8726b56e205. Its holder may read TransparencyLog and nothing else.
   */
  public static final String AUDITOR_EKU_OID = "2.25.74416367111856278331818518909510148613";

  /** Suffix of the federation authority's common name: {@code CN=<federation> Federation ...}. */
  public static final String AUTHORITY_CN_SUFFIX = " Federation Authority";

  /**
   * Days operator and authority certificates outlive the agreement's sunset date by default, so
   * that nodes can still authenticate each other while they wind down.
   */
  public static final int DAYS_AFTER_SUNSET = 30;

  static final KeyPurposeId BATCH_SIGNING =
      KeyPurposeId.getInstance(new ASN1ObjectIdentifier(BATCH_SIGNING_EKU_OID));

  static final KeyPurposeId AUDITOR =
      KeyPurposeId.getInstance(new ASN1ObjectIdentifier(AUDITOR_EKU_OID));

  private static final Pattern HOST_NAME =
      Pattern.compile(
          "(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
              + "(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

  private CertificateProfile() {}

  /**
   * Checks that {@code host} is a DNS host name or an IP address literal.
   *
   * @return the host, DNS names in lower case
   * @throws IllegalArgumentException if it is neither
   */
  public static String requireHost(String host) {
    if (IPAddress.isValid(host)) {
      return host;
    }
    String lower = host.toLowerCase(Locale.ROOT);
    if (!HOST_NAME.matcher(lower).matches()) {
      throw new IllegalArgumentException("'" + host + "' is not a DNS host name or an IP address");
    }
    return lower;
  }

  /**
   * When certificates issued under an agreement with {@code sunsetDate} expire by default: the last
   * second (UTC) of the day {@value #DAYS_AFTER_SUNSET} days after the sunset date.
   */
  public static Instant defaultNotAfter(LocalDate sunsetDate) {
    return sunsetDate
        .plusDays(DAYS_AFTER_SUNSET + 1L)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant()
        .minusSeconds(1);
  }

  /** {@code CN=<federation> Federation Authority}. */
  static X500Name authoritySubject(String federation) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, federation + AUTHORITY_CN_SUFFIX)
        .build();
  }

  /** {@code C=<country>, O=<operator id>, CN=<operator id>}. */
  static X500Name operatorSubject(OperatorIdentity identity) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.C, identity.country())
        .addRDN(BCStyle.O, identity.operatorId())
        .addRDN(BCStyle.CN, identity.operatorId())
        .build();
  }

  /**
   * The federation name in a federation authority certificate's subject.
   *
   * @throws IllegalArgumentException if the subject is not {@code CN=<federation> Federation
   *     Authority}
   */
  public static String federationName(X509Certificate authority) {
    X500Name subject = X500Name.getInstance(authority.getSubjectX500Principal().getEncoded());
    String cn = singleValue(subject, BCStyle.CN).orElse("");
    if (!cn.endsWith(AUTHORITY_CN_SUFFIX) || subject.getRDNs().length != 1) {
      throw new IllegalArgumentException(
          "not a federation authority subject: " + authority.getSubjectX500Principal());
    }
    return cn.substring(0, cn.length() - AUTHORITY_CN_SUFFIX.length());
  }

  /** The string value of the one {@code type} attribute of {@code name}, if exactly one. */
  static Optional<String> singleValue(X500Name name, ASN1ObjectIdentifier type) {
    RDN[] rdns = name.getRDNs(type);
    if (rdns.length != 1
        || rdns[0].isMultiValued()
        || !(rdns[0].getFirst().getValue() instanceof ASN1String value)) {
      return Optional.empty();
    }
    return Optional.of(value.getString());
  }
}

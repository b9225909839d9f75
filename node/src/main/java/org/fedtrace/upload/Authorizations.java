package org.fedtrace.upload;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.SignatureException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.DomainLabel;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.Signer;
import org.fedtrace.crypto.VerifyingKey;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.UploadAuthorization;

/**
 * The canonical encoding of an upload authorization (spec/protocol.md section 5), signing by a
 * health authority, and verification.
 *
 * <pre>
 * "fedtrace.v1.upload-authorization" 0x00 | 16 authorization_id | 2 country
 * | 32 health_authority_key_id | i64 issued_unix_seconds | i64 expires_unix_seconds
 * | 32 keys_digest
 * </pre>
 */
public final class Authorizations {
  /** Domain separator of the authorization encoding. */
  public static final byte[] DOMAIN = DomainLabel.of("fedtrace.v1.upload-authorization");

  private Authorizations() {}

  /**
   * The bytes a health authority signs.
   *
   * @throws IllegalArgumentException if a fixed-width field has the wrong size
   */
  public static byte[] encode(UploadAuthorization a) {
    require("authorization_id", a.getAuthorizationId(), 16);
    require("health_authority_key_id", a.getHealthAuthorityKeyId(), 32);
    require("keys_digest", a.getKeysDigest(), 32);
    String c = a.getCountry();
    if (c.length() != 2 || !c.chars().allMatch(ch -> ch >= 'A' && ch <= 'Z')) {
      throw new IllegalArgumentException("country must be two upper-case ASCII letters");
    }
    return ByteBuffer.allocate(DOMAIN.length + 16 + 2 + 32 + 8 + 8 + 32)
        .put(DOMAIN)
        .put(a.getAuthorizationId().toByteArray())
        .put(c.getBytes(StandardCharsets.US_ASCII))
        .put(a.getHealthAuthorityKeyId().toByteArray())
        .putLong(a.getIssuedUnixSeconds())
        .putLong(a.getExpiresUnixSeconds())
        .put(a.getKeysDigest().toByteArray())
        .array();
  }

  /** Key id of a health authority's key: SHA-256 of its SubjectPublicKeyInfo DER. */
  public static byte[] keyId(VerifyingKey key) {
    return Sha256.hash(key.subjectPublicKeyInfo());
  }

  /**
   * What a health authority does: authorizes one upload of exactly {@code keys}.
   *
   * @param lifetime how long the authorization is valid from {@code now}
   */
  public static UploadAuthorization issue(
      Signer healthAuthority,
      String country,
      List<DiagnosisKey> keys,
      Instant now,
      Duration lifetime,
      SecureRandom random) {
    byte[] id = new byte[16];
    random.nextBytes(id);
    UploadAuthorization unsigned =
        UploadAuthorization.newBuilder()
            .setAuthorizationId(ByteString.copyFrom(id))
            .setCountry(country)
            .setHealthAuthorityKeyId(ByteString.copyFrom(keyId(healthAuthority.verifyingKey())))
            .setIssuedUnixSeconds(now.getEpochSecond())
            .setExpiresUnixSeconds(now.plus(lifetime).getEpochSecond())
            .setKeysDigest(ByteString.copyFrom(CanonicalEncoding.keySetDigest(keys)))
            .build();
    return unsigned.toBuilder()
        .setSignature(ByteString.copyFrom(healthAuthority.sign(encode(unsigned))))
        .build();
  }

  /**
   * Checks the authorization's signature under {@code key}.
   *
   * @throws SignatureException if it does not verify
   */
  public static void verify(UploadAuthorization a, VerifyingKey key) throws SignatureException {
    key.verify(encode(a), a.getSignature().toByteArray());
  }

  /** SHA-256 of the authorization's encoding: what the transparency log records. */
  public static byte[] hash(UploadAuthorization a) {
    return Sha256.hash(encode(a));
  }

  private static void require(String field, ByteString b, int length) {
    if (b.size() != length) {
      throw new IllegalArgumentException(field + " must be " + length + " bytes, got " + b.size());
    }
  }
}

package org.fedtrace.batch.vectors;

import static org.fedtrace.batch.vectors.BatchJson.HEX;
import static org.fedtrace.batch.vectors.KeyEdits.descending;
import static org.fedtrace.batch.vectors.KeyEdits.dsos;
import static org.fedtrace.batch.vectors.KeyEdits.keyData;
import static org.fedtrace.batch.vectors.KeyEdits.visited;
import static org.fedtrace.batch.vectors.KeyEdits.withKeys;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.fedtrace.batch.CanonicalEncoding;
import org.fedtrace.crypto.SecretBytes;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.crypto.SigningKey;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/**
 * Generates {@code spec/testvectors/batch_signature_v1.json}: Wycheproof-style vectors of the
 * Ed25519 batch signature over the canonical batch encoding (spec/protocol.md section 5).
 *
 * <p>Every key, batch id and signing key comes from a {@link VectorDrbg} with a fixed label, and
 * Ed25519 signing is deterministic, so the output is the same bytes on every run; {@code
 * BatchSignatureVectorsTest} checks that the checked-in file equals it. Run {@link #main} to
 * rewrite the file (see spec/testvectors/README.md for the command).
 */
public final class BatchVectorGenerator {
  /** The file name under {@code spec/testvectors/}. */
  public static final String FILE_NAME = "batch_signature_v1.json";

  /** Bump when the generator's output changes. */
  static final String GENERATOR_VERSION = "2";

  /** 2026-01-01T00:00:00Z: creation time of every batch. */
  private static final long CREATED_UNIX_SECONDS = 1_767_225_600L;

  /** The ENIN of that midnight; a multiple of 144. */
  private static final int TODAY = (int) (CREATED_UNIX_SECONDS / 600);

  /** The order of the Ed25519 base point, 2^252 + 27742317777372353535851937790883648493. */
  private static final BigInteger GROUP_ORDER =
      BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));

  private static final Map<String, String> NOTES = new LinkedHashMap<>();

  static {
    NOTES.put("SingleKey", "A batch holding one key.");
    NOTES.put("ManyKeys", "A batch holding 20 keys with varied metadata.");
    NOTES.put(
        "DsosAbsent",
        "days_since_onset_of_symptoms is absent: dsos_present 0 and a zero value byte.");
    NOTES.put(
        "DsosZero",
        "days_since_onset_of_symptoms is present and 0: dsos_present 1 and a zero value byte, so"
            + " the encoding differs from an absent value.");
    NOTES.put("DsosNegative", "days_since_onset_of_symptoms is negative (a signed byte).");
    NOTES.put(
        "DsosPresence",
        "days_since_onset_of_symptoms changed between absent and present 0 after signing.");
    NOTES.put("VisitedCountries", "Keys list visited countries, which the encoding covers.");
    NOTES.put("RollingPeriodBounds", "rolling_period at its bounds, 1 or 144.");
    NOTES.put(
        "HighBitIntegers",
        "sequence and rolling_start_interval_number have their top bit set: both are unsigned,"
            + " and an implementation must not sign-extend or reject them while encoding.");
    NOTES.put(
        "ReorderedKeys",
        "The keys are listed in another order than when the batch was signed. The encoding sorts"
            + " the key records, so the signature still verifies.");
    NOTES.put(
        "CertificateNotCovered",
        "signer_certificate is set to arbitrary bytes: the signature does not cover it.");
    NOTES.put("TamperedKeyData", "A key's key_data was changed after signing.");
    NOTES.put(
        "TamperedKeyMetadata",
        "A key's metadata field (rolling start, rolling period, report type, days since onset,"
            + " transmission risk or visited countries) was changed after signing.");
    NOTES.put(
        "TamperedBatchField",
        "batch_id, sequence, created_unix_seconds or format_version was changed after signing.");
    NOTES.put(
        "WrongOrigin",
        "The origin was changed after signing. (A node also checks that the origin equals the"
            + " signer certificate's country; that check is outside these vectors.)");
    NOTES.put("AddedKey", "A key, new or a copy of a signed one, was added after signing.");
    NOTES.put("RemovedKey", "A key was removed after signing.");
    NOTES.put("TruncatedSignature", "The signature is shorter than 64 bytes.");
    NOTES.put("ExtendedSignature", "The signature is longer than 64 bytes.");
    NOTES.put("ZeroSignature", "The signature is 64 zero bytes.");
    NOTES.put("SignatureOfOtherBatch", "A valid signature of another batch by the same signer.");
    NOTES.put(
        "NonCanonicalS",
        "The signature's S is replaced by S + L (L the group order). The verification equation"
            + " still holds, but RFC 8032 section 5.1.7 requires rejecting S >= L: accepting it"
            + " makes signatures malleable.");
    NOTES.put("ModifiedSignature", "One bit of R or S is flipped.");
    NOTES.put(
        "WrongEncodingSigned",
        "The signer signed something other than the canonical encoding: unsorted key records,"
            + " the protobuf serialization, the SHA-256 of the encoding, or the encoding without"
            + " its domain separator.");
    NOTES.put("WrongSigner", "The batch was signed by another signer than the group's key.");
  }

  private final VectorDrbg drbg = new VectorDrbg("fedtrace batch signature vectors v1");
  private final SigningKey germany = signingKey();
  private final SigningKey france = signingKey();
  private final VectorFile file = new VectorFile(NOTES);

  /** The batch that the invalid tests change, and its valid signature. */
  private final DiagnosisKeyBatch base = tamperBase();

  private final byte[] baseSignature = sign(germany, base);

  private BatchVectorGenerator() {}

  /** The vector file's text. */
  public static String generate() {
    return new BatchVectorGenerator().build();
  }

  /**
   * Writes the vector file into the folder {@code args[0]}, or into the repository's {@code
   * spec/testvectors/} when no argument is given.
   */
  public static void main(String[] args) throws IOException {
    TestVectorFiles.write(args, FILE_NAME, generate());
  }

  private String build() {
    ObjectNode de = group(germany);
    validBatches(de);
    add(de, "the base batch of the tests that follow", List.of(), base, baseSignature, true);
    tamperedKeys(de);
    tamperedBatchFields(de);
    badSignatures(de);
    wrongEncodings(de);

    ObjectNode fr = group(france);
    DiagnosisKeyBatch own =
        batch("FR", 1, List.of(key(2, 144, ReportType.REPORT_TYPE_SELF_REPORT, 2)));
    add(
        fr,
        "a batch signed by this group's key",
        List.of("SingleKey"),
        own,
        sign(france, own),
        true);
    invalid(fr, "a batch signed by another signer (origin DE)", List.of("WrongSigner"), base);

    return file.format(
        "fedtrace batch signature v1, Ed25519",
        GENERATOR_VERSION,
        List.of(
            "Ed25519 (RFC 8032) signatures over the canonical batch encoding of spec/protocol.md"
                + " section 5. msg is the canonical encoding of the batch as given: an"
                + " implementation must encode the batch to exactly msg, then accept sig under the"
                + " group's public key if and only if result is valid.",
            "Generated by org.fedtrace.batch.vectors.BatchVectorGenerator; do not edit."));
  }

  private void validBatches(ObjectNode g) {
    DiagnosisKey k = key(1, 144, ReportType.REPORT_TYPE_CONFIRMED_TEST, 4);
    DiagnosisKeyBatch absent = batch("DE", 1, List.of(k));
    byte[] absentSig =
        addSigned(
            g,
            "one key, days_since_onset_of_symptoms absent",
            List.of("SingleKey", "DsosAbsent"),
            absent);
    DiagnosisKeyBatch zero = absent.toBuilder().setKeys(0, dsos(k, 0)).build();
    addSigned(
        g,
        "the batch above with days_since_onset_of_symptoms present and 0: another msg",
        List.of("SingleKey", "DsosZero", "DsosPresence"),
        zero);
    addSigned(
        g,
        "days_since_onset_of_symptoms -5",
        List.of("SingleKey", "DsosNegative"),
        absent.toBuilder().setKeys(0, dsos(k, -5)).build());
    add(
        g,
        "the first batch with an arbitrary signer_certificate",
        List.of("SingleKey", "CertificateNotCovered"),
        absent.toBuilder().setSignerCertificate(ByteString.copyFrom(drbg.bytes(48))).build(),
        absentSig,
        true);
    addSigned(
        g,
        "rolling_period 1, the minimum",
        List.of("SingleKey", "RollingPeriodBounds"),
        batch("DE", 2, List.of(key(0, 1, ReportType.REPORT_TYPE_CONFIRMED_TEST, 6))));
    addSigned(
        g,
        "rolling_period 144, the maximum",
        List.of("SingleKey", "RollingPeriodBounds"),
        batch(
            "DE", 3, List.of(key(3, 144, ReportType.REPORT_TYPE_CONFIRMED_CLINICAL_DIAGNOSIS, 5))));
    addSigned(
        g,
        "two keys with visited countries",
        List.of("VisitedCountries"),
        batch(
            "DE",
            4,
            List.of(
                key(2, 144, ReportType.REPORT_TYPE_CONFIRMED_TEST, 3, "AT", "FR", "NL"),
                dsos(key(3, 144, ReportType.REPORT_TYPE_RECURSIVE, 1, "BE"), 7))));
    DiagnosisKey high =
        key(0, 144, ReportType.REPORT_TYPE_CONFIRMED_TEST, 2).toBuilder()
            .setRollingStartIntervalNumber(0xffff_ff70)
            .build();
    addSigned(
        g,
        "sequence 2^64 - 1 and rolling_start_interval_number 4294967152",
        List.of("SingleKey", "HighBitIntegers"),
        batch("DE", -1L, List.of(high)));

    DiagnosisKeyBatch many = batch("DE", 5, manyKeys());
    byte[] manySig = sign(germany, many);
    add(g, "20 keys", List.of("ManyKeys"), many, manySig, true);
    List<DiagnosisKey> reversed = new ArrayList<>(many.getKeysList());
    Collections.reverse(reversed);
    add(
        g,
        "the 20 keys above in reverse order, same signature",
        List.of("ManyKeys", "ReorderedKeys"),
        withKeys(many, reversed),
        manySig,
        true);
    List<DiagnosisKey> shuffled = drbg.shuffled(many.getKeysList());
    if (shuffled.equals(many.getKeysList())) {
      throw new IllegalStateException("the shuffle kept the order; change the generator's label");
    }
    add(
        g,
        "the 20 keys above shuffled, same signature",
        List.of("ManyKeys", "ReorderedKeys"),
        withKeys(many, shuffled),
        manySig,
        true);
  }

  /** Three keys: one with dsos 2 and two visited countries, one without dsos, one with dsos 0. */
  private DiagnosisKeyBatch tamperBase() {
    return batch(
        "DE",
        7,
        List.of(
            dsos(key(3, 144, ReportType.REPORT_TYPE_CONFIRMED_TEST, 5, "FR", "NL"), 2),
            key(4, 144, ReportType.REPORT_TYPE_SELF_REPORT, 3),
            dsos(key(5, 144, ReportType.REPORT_TYPE_CONFIRMED_CLINICAL_DIAGNOSIS, 4, "AT"), 0)));
  }

  private void tamperedKeys(ObjectNode g) {
    byte[] flipped = base.getKeys(1).getKeyData().toByteArray();
    flipped[15] ^= 1;
    String data = "TamperedKeyData";
    tampered(g, 1, "key_data: last bit flipped", k -> keyData(k, flipped), data);
    tampered(g, 0, "key_data: replaced", k -> keyData(k, drbg.bytes(16)), data);
    String meta = "TamperedKeyMetadata";
    tampered(
        g,
        0,
        "rolling_start_interval_number + 1",
        k ->
            k.toBuilder()
                .setRollingStartIntervalNumber(k.getRollingStartIntervalNumber() + 1)
                .build(),
        meta);
    tampered(
        g, 0, "rolling_period 144 -> 143", k -> k.toBuilder().setRollingPeriod(143).build(), meta);
    tampered(
        g,
        0,
        "report_type CONFIRMED_TEST -> SELF_REPORT",
        k -> k.toBuilder().setReportType(ReportType.REPORT_TYPE_SELF_REPORT).build(),
        meta);
    tampered(g, 0, "days_since_onset_of_symptoms 2 -> 3", k -> dsos(k, 3), meta);
    tampered(g, 0, "days_since_onset_of_symptoms 2 -> absent", KeyEdits::noDsos, meta);
    tampered(
        g,
        1,
        "days_since_onset_of_symptoms absent -> present 0",
        k -> dsos(k, 0),
        meta,
        "DsosPresence");
    tampered(
        g,
        2,
        "days_since_onset_of_symptoms present 0 -> absent",
        KeyEdits::noDsos,
        meta,
        "DsosPresence");
    tampered(
        g,
        0,
        "transmission_risk_level 5 -> 6",
        k -> k.toBuilder().setTransmissionRiskLevel(6).build(),
        meta);
    String countries = "VisitedCountries";
    tampered(
        g,
        0,
        "visited_countries FR,NL -> BE,FR,NL",
        k -> visited(k, "BE", "FR", "NL"),
        meta,
        countries);
    tampered(g, 0, "visited_countries FR,NL -> FR", k -> visited(k, "FR"), meta, countries);
    tampered(
        g, 0, "visited_countries FR,NL -> FR,NO", k -> visited(k, "FR", "NO"), meta, countries);
    invalid(
        g,
        "visited country NL moved from the first key to the second",
        List.of(meta, countries),
        base.toBuilder()
            .setKeys(0, visited(base.getKeys(0), "FR"))
            .setKeys(1, visited(base.getKeys(1), "NL"))
            .build());
    DiagnosisKey added = key(6, 144, ReportType.REPORT_TYPE_CONFIRMED_TEST, 1);
    invalid(g, "a new key added", List.of("AddedKey"), base.toBuilder().addKeys(added).build());
    invalid(
        g,
        "a copy of the first key added",
        List.of("AddedKey"),
        base.toBuilder().addKeys(base.getKeys(0)).build());
    invalid(
        g, "the last key removed", List.of("RemovedKey"), base.toBuilder().removeKeys(2).build());
  }

  private void tamperedBatchFields(ObjectNode g) {
    byte[] id = base.getBatchId().toByteArray();
    id[0] ^= (byte) 0x80;
    List<String> f = List.of("TamperedBatchField");
    invalid(
        g,
        "batch_id: first bit flipped",
        f,
        base.toBuilder().setBatchId(ByteString.copyFrom(id)).build());
    invalid(g, "sequence 7 -> 8", f, base.toBuilder().setSequence(8).build());
    invalid(
        g,
        "created_unix_seconds + 1",
        f,
        base.toBuilder().setCreatedUnixSeconds(CREATED_UNIX_SECONDS + 1).build());
    invalid(g, "format_version 1 -> 3", f, base.toBuilder().setFormatVersion(3).build());
    invalid(g, "origin DE -> FR", List.of("WrongOrigin"), base.toBuilder().setOrigin("FR").build());
  }

  private void badSignatures(ObjectNode g) {
    byte[] sig = baseSignature;
    badSignature(
        g, "signature truncated to 63 bytes", "TruncatedSignature", Arrays.copyOf(sig, 63));
    badSignature(
        g,
        "signature truncated to 32 bytes (R only)",
        "TruncatedSignature",
        Arrays.copyOf(sig, 32));
    badSignature(g, "empty signature", "TruncatedSignature", new byte[0]);
    badSignature(
        g, "signature with a zero byte appended", "ExtendedSignature", Arrays.copyOf(sig, 65));
    badSignature(g, "64 zero bytes", "ZeroSignature", new byte[64]);
    DiagnosisKeyBatch other =
        base.toBuilder().setSequence(6).setBatchId(ByteString.copyFrom(drbg.bytes(16))).build();
    badSignature(
        g,
        "the signature of another batch of the same signer",
        "SignatureOfOtherBatch",
        sign(germany, other));
    badSignature(g, "S replaced by S + L", "NonCanonicalS", plusGroupOrder(sig));
    badSignature(g, "lowest bit of R flipped", "ModifiedSignature", flipBit(sig, 0));
    badSignature(g, "lowest bit of S flipped", "ModifiedSignature", flipBit(sig, 32));
  }

  /** Signatures over near misses of the canonical encoding, as careless signers would make. */
  private void wrongEncodings(ObjectNode g) {
    byte[] canonical = CanonicalEncoding.batch(base);
    List<DiagnosisKey> descendingKeys = descending(base.getKeysList());
    int headerLength = canonical.length;
    for (DiagnosisKey k : descendingKeys) {
      headerLength -= CanonicalEncoding.keyRecord(k).length;
    }
    byte[] descending = Arrays.copyOf(canonical, headerLength);
    for (DiagnosisKey k : descendingKeys) {
      descending = concat(descending, CanonicalEncoding.keyRecord(k));
    }
    String f = "WrongEncodingSigned";
    add(
        g,
        "signed with the key records in descending order (keys listed in that order)",
        List.of(f),
        withKeys(base, descendingKeys),
        germany.sign(descending),
        false);
    badSignature(
        g,
        "signed over the protobuf serialization of the batch",
        f,
        germany.sign(base.toByteArray()));
    badSignature(
        g,
        "signed over SHA-256 of the canonical encoding",
        f,
        germany.sign(Sha256.hash(canonical)));
    badSignature(
        g,
        "signed over the canonical encoding without its domain separator",
        f,
        germany.sign(
            Arrays.copyOfRange(
                canonical, CanonicalEncoding.BATCH_DOMAIN.length, canonical.length)));
  }

  private ObjectNode group(SigningKey signer) {
    ObjectNode group = file.group("BatchSignatureVerify");
    ObjectNode pk = group.putObject("publicKey");
    pk.put("type", "EDDSAPublicKey");
    pk.put("curve", "edwards25519");
    pk.put("keySize", 255);
    pk.put("pk", HEX.formatHex(signer.verifyingKey().raw()));
    return group;
  }

  /** Adds an invalid test: the base batch with key {@code index} changed, its signature. */
  private void tampered(
      ObjectNode g,
      int index,
      String comment,
      UnaryOperator<DiagnosisKey> change,
      String... flags) {
    DiagnosisKeyBatch changed =
        base.toBuilder().setKeys(index, change.apply(base.getKeys(index))).build();
    invalid(g, "key " + index + ": " + comment, List.of(flags), changed);
  }

  /** Adds an invalid test: {@code batch}, changed from the base batch, with its signature. */
  private void invalid(ObjectNode g, String comment, List<String> flags, DiagnosisKeyBatch batch) {
    add(g, comment, flags, batch, baseSignature, false);
  }

  /** Adds an invalid test: the base batch with {@code sig} in place of its signature. */
  private void badSignature(ObjectNode g, String comment, String flag, byte[] sig) {
    add(g, comment, List.of(flag), base, sig, false);
  }

  /** Adds a valid test of {@code b} signed by the German key; returns the signature. */
  private byte[] addSigned(ObjectNode g, String comment, List<String> flags, DiagnosisKeyBatch b) {
    byte[] sig = sign(germany, b);
    add(g, comment, flags, b, sig, true);
    return sig;
  }

  private void add(
      ObjectNode g,
      String comment,
      List<String> flags,
      DiagnosisKeyBatch batch,
      byte[] sig,
      boolean valid) {
    ObjectNode t = file.test(g, comment, flags);
    t.set("batch", BatchJson.batchToJson(batch));
    t.put("msg", HEX.formatHex(CanonicalEncoding.batch(batch)));
    t.put("sig", HEX.formatHex(sig));
    t.put("result", valid ? "valid" : "invalid");
  }

  private List<DiagnosisKey> manyKeys() {
    ReportType[] types = {
      ReportType.REPORT_TYPE_CONFIRMED_TEST,
      ReportType.REPORT_TYPE_CONFIRMED_CLINICAL_DIAGNOSIS,
      ReportType.REPORT_TYPE_SELF_REPORT,
      ReportType.REPORT_TYPE_RECURSIVE,
      ReportType.REPORT_TYPE_REVOKED
    };
    String[][] visited = {{}, {"FR"}, {}, {"AT", "CH"}, {}, {}, {"BE", "LU", "NL"}};
    List<DiagnosisKey> keys = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      DiagnosisKey k =
          key(
              i % 14,
              i == 0 ? 61 : 144,
              types[i % types.length],
              i % 9,
              visited[i % visited.length]);
      keys.add(i % 3 == 0 ? k : dsos(k, 7 - i));
    }
    return keys;
  }

  private DiagnosisKey key(
      int daysAgo, int rollingPeriod, ReportType type, int risk, String... visited) {
    return DiagnosisKey.newBuilder()
        .setKeyData(ByteString.copyFrom(drbg.bytes(16)))
        .setRollingStartIntervalNumber(TODAY - 144 * daysAgo)
        .setRollingPeriod(rollingPeriod)
        .setReportType(type)
        .setTransmissionRiskLevel(risk)
        .addAllVisitedCountries(List.of(visited))
        .build();
  }

  private DiagnosisKeyBatch batch(String origin, long sequence, List<DiagnosisKey> keys) {
    return DiagnosisKeyBatch.newBuilder()
        .setFormatVersion(CanonicalEncoding.FORMAT_VERSION)
        .setBatchId(ByteString.copyFrom(drbg.bytes(CanonicalEncoding.BATCH_ID_LENGTH)))
        .setOrigin(origin)
        .setSequence(sequence)
        .setCreatedUnixSeconds(CREATED_UNIX_SECONDS)
        .addAllKeys(keys)
        .build();
  }

  private SigningKey signingKey() {
    return SigningKey.fromSeed(SecretBytes.copyOf(drbg.bytes(32)));
  }

  private static byte[] sign(SigningKey key, DiagnosisKeyBatch batch) {
    return key.sign(CanonicalEncoding.batch(batch));
  }

  /**
   * The signature with S (little-endian, bytes 32..63) replaced by S + L. Since S < L < 2^253, the
   * sum still fits in 32 bytes.
   */
  private static byte[] plusGroupOrder(byte[] sig) {
    BigInteger s = new BigInteger(1, reverse(Arrays.copyOfRange(sig, 32, 64)));
    byte[] sum = reverse(s.add(GROUP_ORDER).toByteArray());
    byte[] out = Arrays.copyOf(sig, 64);
    System.arraycopy(sum, 0, out, 32, Math.min(32, sum.length));
    return out;
  }

  private static byte[] reverse(byte[] b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = b[b.length - 1 - i];
    }
    return out;
  }

  private static byte[] flipBit(byte[] sig, int index) {
    byte[] out = sig.clone();
    out[index] ^= 1;
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}

package org.fedtrace.conformance.cases;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.fedtrace.conformance.Expect;
import org.fedtrace.conformance.Session;
import org.fedtrace.conformance.kit.Kit;
import org.fedtrace.conformance.wire.Canonical;
import org.fedtrace.conformance.wire.Ed25519;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.ReportType;

/**
 * Spec §5.7, R5.3 and R8.20: signatures. The invalid cases of spec/testvectors/batch_signature_v1
 * are signed by keys no federation certified, so the suite replays each kind of them (each flag of
 * the vector file) on a fresh batch signed by member A: the node must refuse every one.
 */
public final class SignatureCases extends CaseBase {
  /** L, the order of the Ed25519 base point (RFC 8032). */
  static final BigInteger L =
      BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

  /**
   * One way to break a signed batch, named after the vector file's flag it replays, with the rule
   * that refuses it first (by the check order of §8.1).
   *
   * @param flag the flag of batch_signature_v1.json
   * @param rule the rule refusing it
   * @param code that rule's code
   * @param field the field violation's path for INVALID_ARGUMENT, or null
   */
  record Tamper(
      String flag,
      String comment,
      String rule,
      Status.Code code,
      String field,
      BiFunction<SignatureCases, DiagnosisKeyBatch, DiagnosisKeyBatch> apply) {}

  static final List<Tamper> TAMPERS =
      List.of(
          invalid(
              "TamperedKeyData",
              "key_data changed",
              (c, b) -> key(b, 0, k -> k.setKeyData(flip(k.getKeyData())))),
          invalid(
              "TamperedKeyMetadata",
              "rolling_start_interval_number changed",
              (c, b) ->
                  key(
                      b,
                      0,
                      k -> k.setRollingStartIntervalNumber(k.getRollingStartIntervalNumber() - 1))),
          invalid(
              "TamperedKeyMetadata",
              "rolling_period changed",
              (c, b) -> key(b, 0, k -> k.setRollingPeriod(k.getRollingPeriod() - 1))),
          invalid(
              "TamperedKeyMetadata",
              "report_type changed",
              (c, b) -> key(b, 0, k -> k.setReportType(ReportType.REPORT_TYPE_SELF_REPORT))),
          invalid(
              "TamperedKeyMetadata",
              "transmission_risk_level changed",
              (c, b) ->
                  key(
                      b,
                      0,
                      k -> k.setTransmissionRiskLevel((k.getTransmissionRiskLevel() + 1) % 9))),
          invalid(
              "TamperedKeyMetadata",
              "visited country added",
              (c, b) -> key(b, 0, k -> k.addVisitedCountries("ZZ"))),
          invalid(
              "DsosPresence",
              "days_since_onset present 0 made absent",
              (c, b) -> key(b, 1, DiagnosisKey.Builder::clearDaysSinceOnsetOfSymptoms)),
          invalid(
              "TamperedBatchField",
              "batch_id changed",
              (c, b) -> b.toBuilder().setBatchId(flip(b.getBatchId())).build()),
          invalid(
              "TamperedBatchField",
              "sequence changed",
              (c, b) -> b.toBuilder().setSequence(c.batches().nextSequence()).build()),
          invalid(
              "TamperedBatchField",
              "created_unix_seconds changed",
              (c, b) ->
                  b.toBuilder().setCreatedUnixSeconds(b.getCreatedUnixSeconds() - 60).build()),
          new Tamper(
              "TamperedBatchField",
              "format_version changed",
              "R8.2",
              Status.Code.FAILED_PRECONDITION,
              null,
              (c, b) -> b.toBuilder().setFormatVersion(3).build()),
          new Tamper(
              "WrongOrigin",
              "origin changed to member B's country",
              "R8.19",
              Status.Code.PERMISSION_DENIED,
              null,
              (c, b) -> b.toBuilder().setOrigin(c.b().identity().country()).build()),
          invalid(
              "AddedKey",
              "a new key added",
              (c, b) -> b.toBuilder().addKeys(c.batches().key(2)).build()),
          invalid("RemovedKey", "a key removed", (c, b) -> b.toBuilder().removeKeys(2).build()),
          new Tamper(
              "TruncatedSignature",
              "signature cut to 32 bytes",
              "R8.10",
              Status.Code.INVALID_ARGUMENT,
              "batch.signature",
              (c, b) -> b.toBuilder().setSignature(b.getSignature().substring(0, 32)).build()),
          new Tamper(
              "ExtendedSignature",
              "signature with a byte appended",
              "R8.10",
              Status.Code.INVALID_ARGUMENT,
              "batch.signature",
              (c, b) ->
                  b.toBuilder()
                      .setSignature(b.getSignature().concat(ByteString.copyFrom(new byte[1])))
                      .build()),
          invalid(
              "ZeroSignature",
              "64 zero bytes",
              (c, b) -> b.toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build()),
          invalid(
              "SignatureOfOtherBatch",
              "the signature of another batch of member A",
              (c, b) -> b.toBuilder().setSignature(c.valid(c.a(), 1).getSignature()).build()),
          invalid(
              "NonCanonicalS",
              "S replaced by S + L (R5.3)",
              (c, b) -> b.toBuilder().setSignature(plusL(b.getSignature())).build()),
          invalid(
              "ModifiedSignature",
              "one bit of R flipped",
              (c, b) -> b.toBuilder().setSignature(flipBit(b.getSignature(), 0)).build()),
          invalid(
              "ModifiedSignature",
              "one bit of S flipped",
              (c, b) -> b.toBuilder().setSignature(flipBit(b.getSignature(), 40)).build()),
          invalid(
              "WrongEncodingSigned",
              "key records signed unsorted",
              (c, b) -> c.signedOver(b, unsortedEncoding(b))),
          invalid(
              "WrongEncodingSigned",
              "the protobuf bytes signed",
              (c, b) ->
                  c.signedOver(
                      b,
                      b.toBuilder()
                          .clearSignature()
                          .clearSignerCertificate()
                          .build()
                          .toByteArray())),
          invalid(
              "WrongEncodingSigned",
              "the SHA-256 of the encoding signed",
              (c, b) -> c.signedOver(b, Canonical.sha256(Canonical.batch(b)))),
          invalid(
              "WrongEncodingSigned",
              "the encoding without domain label signed",
              (c, b) -> c.signedOver(b, withoutLabel(Canonical.batch(b)))),
          invalid(
              "WrongSigner",
              "signed by member B's key under member A's certificate",
              (c, b) -> c.signedBy(b, c.b())));

  public SignatureCases(Session s) {
    super(s);
  }

  private static Tamper invalid(
      String flag,
      String comment,
      BiFunction<SignatureCases, DiagnosisKeyBatch, DiagnosisKeyBatch> f) {
    return new Tamper(flag, comment, "R8.20", Status.Code.INVALID_ARGUMENT, "batch.signature", f);
  }

  /**
   * R8.20: every tampering of the vector file's invalid cases, replayed on a fresh batch of member
   * A, is refused (by R8.20, or by an earlier rule where §8.1 checks it first); the untampered
   * batch is then accepted. Failures are collected. When it fails: the node does not verify,
   * verifies other bytes than the §5.3 encoding, or uses a key other than the signer certificate's.
   */
  public void R8_20_refusesEveryTamperedSignature() {
    List<String> failures = new ArrayList<>();
    for (Tamper t : TAMPERS) {
      DiagnosisKeyBatch tampered = t.apply().apply(this, original());
      try {
        Expect.Refusal r = publishRefused(t.code(), t.rule(), tampered);
        if (t.field() != null) {
          r.hasField(t.field(), t.rule());
        }
      } catch (AssertionError e) {
        failures.add(t.flag() + " (" + t.comment() + "): " + e.getMessage());
      }
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("R8.20: " + failures.size() + " tampered batches: " + failures);
    }
    publish(a().tls(), original());
  }

  /**
   * R5.3: a signature whose S is replaced by S + L still satisfies the verification equation but
   * must not verify (RFC 8032 §5.1.7); the batch is refused by R8.20. When it fails: the node's
   * Ed25519 verification accepts non-canonical S, making signatures malleable.
   */
  public void R5_3_refusesNonCanonicalSignature() {
    DiagnosisKeyBatch b = original();
    publishRefused(
            Status.Code.INVALID_ARGUMENT,
            "R8.20",
            b.toBuilder().setSignature(plusL(b.getSignature())).build())
        .hasField("batch.signature", "R8.20");
  }

  private DiagnosisKeyBatch original;

  /** A fresh valid batch of member A with three keys, key 1 with days since onset present 0. */
  private DiagnosisKeyBatch original() {
    if (original == null) {
      List<DiagnosisKey> keys = new ArrayList<>(batches().keys(3));
      keys.set(1, keys.get(1).toBuilder().setDaysSinceOnsetOfSymptoms(0).build());
      original = sign(unsigned(a(), keys), a());
    }
    return original;
  }

  private DiagnosisKeyBatch signedOver(DiagnosisKeyBatch b, byte[] message) {
    return b.toBuilder()
        .setSignature(ByteString.copyFrom(Ed25519.sign(a().signing().privateKey(), message)))
        .build();
  }

  private DiagnosisKeyBatch signedBy(DiagnosisKeyBatch b, Kit.Operator other) {
    return b.toBuilder()
        .setSignature(
            ByteString.copyFrom(Ed25519.sign(other.signing().privateKey(), Canonical.batch(b))))
        .build();
  }

  private static DiagnosisKeyBatch key(
      DiagnosisKeyBatch b, int index, java.util.function.UnaryOperator<DiagnosisKey.Builder> edit) {
    return b.toBuilder().setKeys(index, edit.apply(b.getKeys(index).toBuilder()).build()).build();
  }

  private static ByteString flip(ByteString bytes) {
    return flipBit(bytes, 0);
  }

  private static ByteString flipBit(ByteString bytes, int index) {
    byte[] b = bytes.toByteArray();
    b[index] ^= 1;
    return ByteString.copyFrom(b);
  }

  /** The signature with S (little-endian, bytes 32..63) replaced by S + L. */
  static ByteString plusL(ByteString signature) {
    byte[] sig = signature.toByteArray();
    byte[] le = java.util.Arrays.copyOfRange(sig, 32, 64);
    byte[] be = new byte[32];
    for (int i = 0; i < 32; i++) {
      be[i] = le[31 - i];
    }
    BigInteger s = new BigInteger(1, be).add(L);
    byte[] sum = s.toByteArray();
    byte[] out = java.util.Arrays.copyOf(sig, 64);
    for (int i = 0; i < 32; i++) {
      int from = sum.length - 1 - i;
      out[32 + i] = from >= 0 ? sum[from] : 0;
    }
    return ByteString.copyFrom(out);
  }

  /** The batch encoding with its key records in message order instead of sorted. */
  private static byte[] unsortedEncoding(DiagnosisKeyBatch b) {
    byte[] sorted = Canonical.batch(b);
    int header = sorted.length;
    List<byte[]> records = new ArrayList<>();
    for (DiagnosisKey k : b.getKeysList()) {
      byte[] r = Canonical.keyRecord(k);
      records.add(r);
      header -= r.length;
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(sorted, 0, header);
    records.forEach(out::writeBytes);
    byte[] unsorted = out.toByteArray();
    if (java.util.Arrays.equals(unsorted, sorted)) {
      // message order happened to be sorted: reverse it
      out.reset();
      out.write(sorted, 0, header);
      for (int i = records.size() - 1; i >= 0; i--) {
        out.writeBytes(records.get(i));
      }
      unsorted = out.toByteArray();
    }
    return unsorted;
  }

  private static byte[] withoutLabel(byte[] encoding) {
    int label = "fedtrace.v1.batch".length() + 1;
    return java.util.Arrays.copyOfRange(encoding, label, encoding.length);
  }
}

package org.fedtrace.batch;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.ReportType;

/**
 * Writes key export files of the Exposure Notification servers, the format that phones' Exposure
 * Notification frameworks download (the counterpart of {@link GaenExport}, which reads them).
 * {@code export.bin} is the header {@code "EK Export v1 "} then a TemporaryExposureKeyExport;
 * {@code export.sig} is a TEKSignatureList with one ECDSA P-256 / SHA-256 signature (DER) over the
 * whole of {@code export.bin}. Both are encoded field by field from the published field numbers,
 * without generated classes.
 *
 * <p>Keys are written sorted on their raw bytes, so that the order of a file tells nothing about
 * uploads or padding (spec R24.13). A key whose report type is REVOKED goes to {@code revised_keys}
 * (field 8), where phones look for keys whose status changed; every other key to {@code keys}.
 */
public final class GaenExportWriter {
  /** The OID of ECDSA with SHA-256, the signature algorithm phones accept. */
  public static final String ECDSA_SHA256_OID = "1.2.840.10045.4.3.2";

  /** Signs the bytes of {@code export.bin}: an ECDSA P-256 / SHA-256 signature, DER encoded. */
  @FunctionalInterface
  public interface ExportSigner {
    /** The DER signature of {@code exportBin}. */
    byte[] sign(byte[] exportBin);
  }

  /**
   * What phones learn of the signing key: they look its public key up by id and version, which the
   * app's operator registered with Apple and Google.
   *
   * @param keyId verification_key_id (Apple and Google use the country's mobile country code)
   * @param keyVersion verification_key_version, e.g. "v1"
   */
  public record SignatureInfo(String keyId, String keyVersion) {}

  /**
   * One file of an export.
   *
   * @param region the region of the keys (an origin country, or the combined region)
   * @param window the time window the file covers
   * @param batchNumber this file's number in its batch, from 1
   * @param batchSize the number of files in its batch
   * @param keys the keys, in any order
   */
  public record Content(
      String region,
      GaenExport.Window window,
      int batchNumber,
      int batchSize,
      List<DiagnosisKey> keys) {
    /** Copies the list. */
    public Content {
      keys = List.copyOf(keys);
    }
  }

  /** Orders keys on their raw bytes, as unsigned bytes. */
  public static final Comparator<DiagnosisKey> BY_KEY_DATA =
      Comparator.comparing(
          DiagnosisKey::getKeyData, ByteString.unsignedLexicographicalComparator());

  private final SignatureInfo info;
  private final ExportSigner signer;

  /** A writer that signs with {@code signer} and names its key as {@code info}. */
  public GaenExportWriter(SignatureInfo info, ExportSigner signer) {
    this.info = info;
    this.signer = signer;
  }

  /** The export zip of {@code content}: {@code export.bin} and {@code export.sig}. */
  public byte[] write(Content content) {
    byte[] bin = encode(content);
    return zip(bin, signatureList(content, signer.sign(bin)), content.window().endUnixSeconds());
  }

  /** The bytes of {@code export.bin}: the header and the TemporaryExposureKeyExport. */
  public byte[] encode(Content content) {
    List<DiagnosisKey> sorted = new ArrayList<>(content.keys());
    sorted.sort(BY_KEY_DATA);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 40 * sorted.size());
    bytes.writeBytes(GaenExport.HEADER);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeFixed64(1, content.window().startUnixSeconds());
      out.writeFixed64(2, content.window().endUnixSeconds());
      out.writeString(3, content.region());
      out.writeInt32(4, content.batchNumber());
      out.writeInt32(5, content.batchSize());
      out.writeByteArray(6, signatureInfo());
      for (DiagnosisKey k : sorted) {
        boolean revised = k.getReportType() == ReportType.REPORT_TYPE_REVOKED;
        writeKey(out, revised ? 8 : 7, k);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The bytes of {@code export.sig}: a TEKSignatureList holding {@code signature}. */
  public byte[] signatureList(Content content, byte[] signature) {
    return message(
        out -> {
          out.writeByteArray(
              1,
              message(
                  one -> {
                    one.writeByteArray(1, signatureInfo());
                    one.writeInt32(2, content.batchNumber());
                    one.writeInt32(3, content.batchSize());
                    one.writeByteArray(4, signature);
                  }));
        });
  }

  /** The signer's signature of {@code exportBin}. */
  public byte[] sign(byte[] exportBin) {
    return signer.sign(exportBin);
  }

  /**
   * A zip of {@code export.bin} and {@code export.sig}, deflated, its entries dated {@code
   * unixSeconds} so that the same content gives the same bytes.
   */
  public static byte[] zip(byte[] bin, byte[] sig, long unixSeconds) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(bin.length / 2 + 1024);
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String name : new String[] {"export.bin", "export.sig"}) {
        ZipEntry e = new ZipEntry(name);
        e.setTime(unixSeconds * 1000);
        zip.putNextEntry(e);
        zip.write(name.equals("export.bin") ? bin : sig);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private byte[] signatureInfo() {
    return message(
        out -> {
          out.writeString(3, info.keyVersion());
          out.writeString(4, info.keyId());
          out.writeString(5, ECDSA_SHA256_OID);
        });
  }

  /** One TemporaryExposureKey as field {@code field}, written in place (no buffer per key). */
  private static void writeKey(CodedOutputStream out, int field, DiagnosisKey k)
      throws IOException {
    ByteString data = k.getKeyData();
    boolean onset = k.hasDaysSinceOnsetOfSymptoms();
    int size =
        CodedOutputStream.computeBytesSize(1, data)
            + CodedOutputStream.computeInt32Size(2, k.getTransmissionRiskLevel())
            + CodedOutputStream.computeInt32Size(3, k.getRollingStartIntervalNumber())
            + CodedOutputStream.computeInt32Size(4, k.getRollingPeriod())
            + CodedOutputStream.computeEnumSize(5, k.getReportTypeValue())
            + (onset ? CodedOutputStream.computeSInt32Size(6, k.getDaysSinceOnsetOfSymptoms()) : 0);
    out.writeTag(field, WireFormat.WIRETYPE_LENGTH_DELIMITED);
    out.writeUInt32NoTag(size);
    out.writeBytes(1, data);
    out.writeInt32(2, k.getTransmissionRiskLevel());
    out.writeInt32(3, k.getRollingStartIntervalNumber());
    out.writeInt32(4, k.getRollingPeriod());
    out.writeEnum(5, k.getReportTypeValue());
    if (onset) {
      out.writeSInt32(6, k.getDaysSinceOnsetOfSymptoms());
    }
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      fields.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}

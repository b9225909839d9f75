package org.fedtrace.batch;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SignatureException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.fedtrace.crypto.CertificateKeyType;
import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * A key export file of the Exposure Notification servers (a zip holding {@code export.bin} and
 * {@code export.sig}), read so that keys published by an existing national backend can be checked
 * and brought into a federation. {@code export.bin} is the 16-byte header "EK Export v1" padded
 * with spaces, then a TemporaryExposureKeyExport protobuf; {@code export.sig} is a TEKSignatureList
 * whose ECDSA P-256 / SHA-256 signatures cover the whole of {@code export.bin}. Both are decoded
 * field by field here, from the published format, without generated classes.
 *
 * @param region the export's region (e.g. an ISO country code)
 * @param window the time the export covers
 * @param batchNumber this file's number in its batch, from 1
 * @param batchSize the number of files in its batch
 * @param keys the keys, as fedtrace diagnosis keys (days since onset present only when the export
 *     had it; report type UNSPECIFIED when it had none)
 * @param exportBin the signed bytes, header included
 * @param signatures the DER ECDSA signatures of export.bin
 */
public record GaenExport(
    String region,
    Window window,
    int batchNumber,
    int batchSize,
    List<DiagnosisKey> keys,
    byte[] exportBin,
    List<byte[]> signatures) {
  /** The time an export covers, in Unix seconds. */
  public record Window(long startUnixSeconds, long endUnixSeconds) {}

  /** The start of the window. */
  public long startUnixSeconds() {
    return window.startUnixSeconds();
  }

  /** The end of the window. */
  public long endUnixSeconds() {
    return window.endUnixSeconds();
  }

  /** The 16-byte header of export.bin. */
  public static final byte[] HEADER = "EK Export v1    ".getBytes(StandardCharsets.US_ASCII);

  private static final int MAX_ENTRY_BYTES = 16 << 20;

  /** Copies the lists. */
  public GaenExport {
    keys = List.copyOf(keys);
    signatures = List.copyOf(signatures);
  }

  /**
   * Reads an export zip.
   *
   * @throws IOException if the file cannot be read, lacks export.bin or export.sig, or either does
   *     not decode; the message says which
   */
  public static GaenExport read(Path zip) throws IOException {
    byte[] bin = null;
    byte[] sig = null;
    try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("export.bin")) {
          bin = readEntry(in, zip, e);
        } else if (e.getName().equals("export.sig")) {
          sig = readEntry(in, zip, e);
        }
      }
    }
    if (bin == null || sig == null) {
      throw new IOException(zip + ": an export zip holds export.bin and export.sig");
    }
    return parse(bin, sig, zip.toString());
  }

  /**
   * Checks that one of the export's signatures verifies under {@code key}.
   *
   * @throws SignatureException if none does
   */
  public void verify(PublicKey key) throws SignatureException {
    for (byte[] s : signatures) {
      try {
        CertificateKeyType.ECDSA_P256.verify(key, exportBin, s);
        return;
      } catch (SignatureException e) {
        // try the next signature
      }
    }
    throw new SignatureException("no signature of the export verifies under the given key");
  }

  private static byte[] readEntry(InputStream in, Path zip, ZipEntry e) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      out.write(buf, 0, n);
      if (out.size() > MAX_ENTRY_BYTES) {
        throw new IOException(zip + ": " + e.getName() + " is larger than 16 MiB");
      }
    }
    return out.toByteArray();
  }

  static GaenExport parse(byte[] bin, byte[] sig, String name) throws IOException {
    if (bin.length < HEADER.length
        || !Arrays.equals(bin, 0, HEADER.length, HEADER, 0, HEADER.length)) {
      throw new IOException(name + ": export.bin does not start with \"EK Export v1\"");
    }
    CodedInputStream in =
        CodedInputStream.newInstance(bin, HEADER.length, bin.length - HEADER.length);
    String region = "";
    long start = 0;
    long end = 0;
    int batchNumber = 0;
    int batchSize = 0;
    List<DiagnosisKey> keys = new ArrayList<>();
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (WireFormat.getTagFieldNumber(tag)) {
          case 1 -> start = in.readFixed64();
          case 2 -> end = in.readFixed64();
          case 3 -> region = in.readString();
          case 4 -> batchNumber = in.readInt32();
          case 5 -> batchSize = in.readInt32();
          case 7, 8 -> keys.add(key(in.readBytes()));
          default -> in.skipField(tag);
        }
      }
    } catch (IOException | IllegalArgumentException e) {
      throw new IOException(name + ": export.bin does not decode: " + e.getMessage(), e);
    }
    return new GaenExport(
        region, new Window(start, end), batchNumber, batchSize, keys, bin, signatures(sig, name));
  }

  private static DiagnosisKey key(ByteString bytes) throws IOException {
    CodedInputStream in = bytes.newCodedInput();
    // report types have the same numbers in both formats (spec §4.1); 144 is the export's default
    DiagnosisKey.Builder k = DiagnosisKey.newBuilder().setRollingPeriod(144);
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> k.setKeyData(in.readBytes());
        case 2 -> k.setTransmissionRiskLevel(in.readInt32());
        case 3 -> k.setRollingStartIntervalNumber(in.readInt32());
        case 4 -> k.setRollingPeriod(in.readInt32());
        case 5 -> k.setReportTypeValue(in.readEnum());
        case 6 -> k.setDaysSinceOnsetOfSymptoms(in.readSInt32());
        default -> in.skipField(tag);
      }
    }
    return k.build();
  }

  private static List<byte[]> signatures(byte[] sig, String name) throws IOException {
    List<byte[]> out = new ArrayList<>();
    try {
      CodedInputStream list = CodedInputStream.newInstance(sig);
      for (int tag = list.readTag(); tag != 0; tag = list.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) != 1) {
          list.skipField(tag);
          continue;
        }
        CodedInputStream one = list.readBytes().newCodedInput();
        for (int t = one.readTag(); t != 0; t = one.readTag()) {
          if (WireFormat.getTagFieldNumber(t) == 4) {
            out.add(one.readByteArray());
          } else {
            one.skipField(t);
          }
        }
      }
    } catch (IOException e) {
      throw new IOException(name + ": export.sig does not decode: " + e.getMessage(), e);
    }
    return out;
  }
}

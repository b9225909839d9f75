package org.fedtrace.conformance.wire;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The suite's own reader of Exposure Notification key export files (spec §24.4): a zip of {@code
 * export.bin} (a 16-byte header, then a {@code TemporaryExposureKeyExport}) and {@code export.sig}
 * (a {@code TEKSignatureList}), decoded field by field from the published field numbers with
 * protobuf's wire reader, sharing nothing with any node's writer.
 */
public final class ExportFiles {
  /** The 16 bytes that open {@code export.bin}. */
  public static final byte[] HEADER = "EK Export v1    ".getBytes(StandardCharsets.US_ASCII);

  /** The largest zip entry read: far above what R24's files hold. */
  private static final int MAX_ENTRY = 32 << 20;

  private ExportFiles() {}

  /**
   * A key of an export file.
   *
   * @param keyData field 1
   * @param transmissionRiskLevel field 2
   * @param rollingStart field 3
   * @param rollingPeriod field 4 (144 when absent, as the format's default)
   * @param reportType field 5 (0 when absent)
   * @param daysSinceOnset field 6, or null when absent
   */
  public record Key(
      byte[] keyData,
      int transmissionRiskLevel,
      int rollingStart,
      int rollingPeriod,
      int reportType,
      Integer daysSinceOnset) {
    /** Unix seconds at which the key stops being valid (spec §24, "end"). */
    public long endUnixSeconds() {
      return ((long) rollingStart + rollingPeriod) * 600;
    }
  }

  /**
   * A {@code SignatureInfo}.
   *
   * @param keyVersion field 3
   * @param keyId field 4
   * @param algorithm field 5
   */
  public record SignatureInfo(String keyVersion, String keyId, String algorithm) {}

  /**
   * A {@code TEKSignature}.
   *
   * @param info field 1
   * @param batchNum field 2
   * @param batchSize field 3
   * @param signature field 4, DER
   */
  public record Signature(SignatureInfo info, int batchNum, int batchSize, byte[] signature) {}

  /**
   * One export file.
   *
   * @param bin the whole of {@code export.bin}, header included (what is signed)
   * @param start field 1, Unix seconds
   * @param end field 2
   * @param region field 3
   * @param batchNum field 4
   * @param batchSize field 5
   * @param infos field 6
   * @param keys field 7
   * @param revisedKeys field 8
   * @param signatures the signatures of {@code export.sig}
   */
  public record File(
      byte[] bin,
      long start,
      long end,
      String region,
      int batchNum,
      int batchSize,
      List<SignatureInfo> infos,
      List<Key> keys,
      List<Key> revisedKeys,
      List<Signature> signatures) {
    /** Every key, {@code keys} then {@code revisedKeys}. */
    public List<Key> allKeys() {
      List<Key> all = new ArrayList<>(keys);
      all.addAll(revisedKeys);
      return all;
    }
  }

  /**
   * Reads a zip.
   *
   * @throws IOException if it is no zip of both entries, or an entry does not decode
   */
  public static File read(byte[] zip) throws IOException {
    byte[] bin = null;
    byte[] sig = null;
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
      for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("export.bin")) {
          bin = entry(in);
        } else if (e.getName().equals("export.sig")) {
          sig = entry(in);
        }
      }
    }
    if (bin == null || sig == null) {
      throw new IOException("the zip lacks export.bin or export.sig");
    }
    if (bin.length < HEADER.length || !Arrays.equals(Arrays.copyOf(bin, HEADER.length), HEADER)) {
      throw new IOException("export.bin does not start with the header 'EK Export v1    '");
    }
    return bin(bin, signatures(sig));
  }

  private static byte[] entry(ZipInputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    for (int n = in.read(buf); n > 0; n = in.read(buf)) {
      out.write(buf, 0, n);
      if (out.size() > MAX_ENTRY) {
        throw new IOException("a zip entry exceeds " + MAX_ENTRY + " bytes");
      }
    }
    return out.toByteArray();
  }

  private static File bin(byte[] bin, List<Signature> signatures) throws IOException {
    CodedInputStream in =
        CodedInputStream.newInstance(bin, HEADER.length, bin.length - HEADER.length);
    long start = 0;
    long end = 0;
    String region = "";
    int batchNum = 0;
    int batchSize = 0;
    List<SignatureInfo> infos = new ArrayList<>();
    List<Key> keys = new ArrayList<>();
    List<Key> revised = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> start = in.readFixed64();
        case 2 -> end = in.readFixed64();
        case 3 -> region = in.readString();
        case 4 -> batchNum = in.readInt32();
        case 5 -> batchSize = in.readInt32();
        case 6 -> infos.add(info(in.readByteArray()));
        case 7 -> keys.add(key(in.readByteArray()));
        case 8 -> revised.add(key(in.readByteArray()));
        default -> in.skipField(tag);
      }
    }
    return new File(bin, start, end, region, batchNum, batchSize, infos, keys, revised, signatures);
  }

  private static Key key(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    byte[] data = new byte[0];
    int risk = 0;
    int start = 0;
    int period = 144;
    int type = 0;
    Integer onset = null;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> data = in.readByteArray();
        case 2 -> risk = in.readInt32();
        case 3 -> start = in.readInt32();
        case 4 -> period = in.readInt32();
        case 5 -> type = in.readEnum();
        case 6 -> onset = in.readSInt32();
        default -> in.skipField(tag);
      }
    }
    return new Key(data, risk, start, period, type, onset);
  }

  private static SignatureInfo info(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String version = "";
    String id = "";
    String algorithm = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 3 -> version = in.readString();
        case 4 -> id = in.readString();
        case 5 -> algorithm = in.readString();
        default -> in.skipField(tag);
      }
    }
    return new SignatureInfo(version, id, algorithm);
  }

  private static List<Signature> signatures(byte[] sig) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(sig);
    List<Signature> out = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) == 1) {
        out.add(signature(in.readByteArray()));
      } else {
        in.skipField(tag);
      }
    }
    return out;
  }

  private static Signature signature(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    SignatureInfo info = null;
    int num = 0;
    int size = 0;
    byte[] signature = new byte[0];
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (WireFormat.getTagFieldNumber(tag)) {
        case 1 -> info = info(in.readByteArray());
        case 2 -> num = in.readInt32();
        case 3 -> size = in.readInt32();
        case 4 -> signature = in.readByteArray();
        default -> in.skipField(tag);
      }
    }
    return new Signature(info, num, size, signature);
  }
}

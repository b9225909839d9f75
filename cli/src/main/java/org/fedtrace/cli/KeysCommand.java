package org.fedtrace.cli;

import java.io.PrintWriter;
import java.util.HexFormat;
import org.fedtrace.crypto.TemporaryExposureKey;
import org.fedtrace.crypto.TokenDeriver;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace keys}: work with Temporary Exposure Keys. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Derive tokens from Temporary Exposure Keys (Exposure Notification v1.2).",
    subcommands = {KeysCommand.Rpis.class, KeysCommand.GaenExportCommand.class})
public final class KeysCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }

  /** {@code fedtrace keys rpis}: print the rolling proximity identifiers of a key. */
  @Command(
      name = "rpis",
      mixinStandardHelpOptions = true,
      description = {
        "Print the Rolling Proximity Identifiers of a Temporary Exposure Key, one lowercase hex",
        "RPI per line, in interval order.",
        "",
        "RPI_j = AES-128(HKDF-SHA256(TEK, info \"EN-RPIK\"), \"EN-RPI\" || 0^6 || LE32(ENIN_j))"
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {"0:RPIs printed", "2:bad option value (hex, length, interval, count)"})
  static final class Rpis implements Runnable {
    private static final long MAX_ENIN = 0xFFFF_FFFFL;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--tek",
        required = true,
        paramLabel = "HEX",
        description = "The key: 32 hex digits (16 bytes).")
    String tekHex;

    @Option(
        names = "--start",
        required = true,
        paramLabel = "ENIN",
        description =
            "First interval number (Unix seconds / 600), 0..4294967295; usually the key's"
                + " rolling start interval number.")
    long start;

    @Option(
        names = "--count",
        paramLabel = "N",
        defaultValue = "144",
        description = "Number of RPIs, at least 1 (default: ${DEFAULT-VALUE}, one day).")
    long count;

    @Override
    public void run() {
      TemporaryExposureKey tek = parseTek();
      if (start < 0 || start > MAX_ENIN) {
        throw usage("--start must be an interval number in 0..4294967295, got " + start);
      }
      if (count < 1) {
        throw usage("--count must be at least 1, got " + count);
      }
      if (start + count - 1 > MAX_ENIN) {
        throw usage("--start + --count - 1 exceeds the last interval number 4294967295");
      }
      print(tek);
    }

    private TemporaryExposureKey parseTek() {
      String hex = tekHex.trim();
      if (hex.length() != 2 * TemporaryExposureKey.LENGTH) {
        throw usage("--tek must be 32 hex digits (16 bytes), got " + hex.length() + " characters");
      }
      try {
        return TemporaryExposureKey.of(HexFormat.of().parseHex(hex));
      } catch (IllegalArgumentException e) {
        throw usage("--tek is not hex: " + hex);
      }
    }

    private void print(TemporaryExposureKey tek) {
      TokenDeriver deriver = TokenDeriver.create();
      byte[] key = tek.toByteArray();
      byte[] rpis = new byte[TokenDeriver.MAX_ROLLING_PERIOD * TokenDeriver.TOKEN_LENGTH];
      HexFormat hex = HexFormat.of();
      PrintWriter out = spec.commandLine().getOut();
      StringBuilder lines = new StringBuilder(TokenDeriver.MAX_ROLLING_PERIOD * 33);
      long done = 0;
      while (done < count) {
        int n = (int) Math.min(TokenDeriver.MAX_ROLLING_PERIOD, count - done);
        deriver.deriveRpis(key, (int) (start + done), n, rpis, 0);
        lines.setLength(0);
        for (int i = 0; i < n; i++) {
          hex.formatHex(lines, rpis, i * 16, i * 16 + 16).append('\n');
        }
        out.print(lines);
        done += n;
      }
      out.flush();
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  /** {@code fedtrace keys gaen-export}: read an Exposure Notification server's key export. */
  @Command(
      name = "gaen-export",
      mixinStandardHelpOptions = true,
      description = {
        "Read a key export zip of an Exposure Notification server (export.bin and export.sig),",
        "check its ECDSA signature and its keys against fedtrace's key rules (spec R4.1-R4.12,",
        "at the end of the export's window), and print one line per key:",
        "key_data start period report_type transmission_risk days_since_onset"
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {
        "0:read, every key follows fedtrace's rules; signature verified when --public-key was"
            + " given",
        "1:unreadable file or public key",
        "2:bad option value",
        "3:the signature does not verify under --public-key (keys are not printed)",
        "4:signature verified or not checked, but keys break fedtrace's key rules (printed, the"
            + " first 5 violations on stderr)"
      })
  static final class GaenExportCommand implements java.util.concurrent.Callable<Integer> {
    /** Exit status of an export whose signature does not verify. */
    static final int EXIT_BAD_SIGNATURE = 3;

    /** Exit status of an export whose keys break fedtrace's key rules. */
    static final int EXIT_RULE_VIOLATIONS = 4;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, paramLabel = "ZIP", description = "The export zip.")
    java.nio.file.Path file;

    @Option(
        names = "--public-key",
        paramLabel = "PEM",
        description = "The server's export-signing key (PEM PUBLIC KEY, ECDSA P-256).")
    java.nio.file.Path publicKey;

    @Option(
        names = "--default-report-type",
        paramLabel = "N",
        description =
            "Report type (1..5) for keys the export gives none (early exports had none);"
                + " without it such keys break R4.5.")
    Integer defaultReportType;

    @Option(
        names = "--retention-days",
        defaultValue = "14",
        paramLabel = "N",
        description = "Retention for the key rules (default: ${DEFAULT-VALUE}).")
    int retentionDays;

    @Override
    public Integer call() throws Exception {
      if (defaultReportType != null && (defaultReportType < 1 || defaultReportType > 5)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--default-report-type must be in 1..5, got " + defaultReportType);
      }
      org.fedtrace.batch.GaenExport e;
      try {
        e = org.fedtrace.batch.GaenExport.read(file);
      } catch (java.io.IOException x) {
        throw new UserError(x.getMessage());
      }
      java.util.List<org.fedtrace.proto.v1.DiagnosisKey> keys = new java.util.ArrayList<>();
      for (org.fedtrace.proto.v1.DiagnosisKey k : e.keys()) {
        keys.add(
            k.getReportTypeValue() == 0 && defaultReportType != null
                ? k.toBuilder().setReportTypeValue(defaultReportType).build()
                : k);
      }
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "region %s, file %d of %d, window %s to %s, %d keys%n",
          e.region(),
          e.batchNumber(),
          e.batchSize(),
          java.time.Instant.ofEpochSecond(e.startUnixSeconds()),
          java.time.Instant.ofEpochSecond(e.endUnixSeconds()),
          e.keys().size());
      if (publicKey == null) {
        out.println("signature: not checked (no --public-key)");
      } else {
        java.security.PublicKey key;
        try {
          key =
              org.fedtrace.crypto.CertificateKeys.ecdsaP256PublicKey(
                  org.fedtrace.pki.Pem.readPublicKeyInfo(publicKey));
        } catch (java.io.IOException | IllegalArgumentException x) {
          throw new UserError("--public-key: " + x.getMessage());
        }
        try {
          e.verify(key);
        } catch (java.security.SignatureException x) {
          out.flush();
          throw new UserError("signature: " + x.getMessage(), EXIT_BAD_SIGNATURE);
        }
        out.println("signature: verified");
      }
      HexFormat hex = HexFormat.of();
      for (org.fedtrace.proto.v1.DiagnosisKey k : keys) {
        out.printf(
            "%s %d %d %d %d %s%n",
            hex.formatHex(k.getKeyData().toByteArray()),
            Integer.toUnsignedLong(k.getRollingStartIntervalNumber()),
            k.getRollingPeriod(),
            k.getReportTypeValue(),
            k.getTransmissionRiskLevel(),
            k.hasDaysSinceOnsetOfSymptoms() ? k.getDaysSinceOnsetOfSymptoms() : "-");
      }
      java.util.List<org.fedtrace.rules.RuleViolation.FieldViolation> bad =
          new java.util.ArrayList<>();
      new org.fedtrace.rules.BatchRules(retentionDays, Integer.MAX_VALUE)
          .checkKeys(keys, "keys", java.time.Instant.ofEpochSecond(e.endUnixSeconds()), bad);
      out.flush();
      if (!bad.isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        for (org.fedtrace.rules.RuleViolation.FieldViolation v :
            bad.subList(0, Math.min(5, bad.size()))) {
          err.println("fedtrace: " + v.field() + " " + v.wireDescription());
        }
        err.println(
            "fedtrace: "
                + bad.size()
                + " violations of fedtrace's key rules"
                + (bad.size() > 5 ? " (the first 5 above)" : ""));
        err.flush();
        return EXIT_RULE_VIOLATIONS;
      }
      return 0;
    }
  }
}

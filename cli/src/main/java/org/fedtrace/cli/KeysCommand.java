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
    subcommands = {KeysCommand.Rpis.class})
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
}

package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.fedtrace.batch.GaenExport;
import org.fedtrace.crypto.CertificateKeys;
import org.fedtrace.node.KeyImport;
import org.fedtrace.node.NodeStartException;
import org.fedtrace.node.config.InvalidConfigException;
import org.fedtrace.node.config.NodeConfig;
import org.fedtrace.pki.Pem;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.store.StoreException;
import org.fedtrace.tlog.LogEntries;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace import}: turn another server's verified key export into own batches. */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
      "Turn another Exposure Notification server's key export into batches of this node.",
      "",
      "Verifies the export's ECDSA signature under --public-key, maps keys that carry no",
      "report type (exports before Exposure Notification 1.5 carry none) to the type",
      "--unknown-report-type names, checks every key against fedtrace's key rules (spec",
      "R4.1-R4.12, now, under the agreement's retention), then stores the keys as batches of",
      "this node's country, padded and numbered as its own batches, signed with its",
      "batch-signing key and logged as EVENT_TYPE_BATCH_IMPORTED naming --source (spec",
      "transparency.md section 3). All or nothing: a key that breaks a rule stores none.",
      "",
      "Works on the node's store: stop the node first (as for 'store migrate'); it serves the",
      "batches to its peers once it runs.",
      "",
      "Example: fedtrace import --config node.yaml --file export.zip --public-key us.pem \\",
      "           --source us-ks --unknown-report-type 1"
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:imported",
      "1:unreadable export or public key, or the node's files or store cannot be used",
      "2:bad option value or configuration; keys without report type and no"
          + " --unknown-report-type",
      "3:the export's signature does not verify under --public-key; nothing stored",
      "4:keys break fedtrace's key rules (the first 5 on stderr); nothing stored"
    })
final class ImportCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The importing node's configuration (node.yaml).")
  Path config;

  @Option(names = "--file", required = true, paramLabel = "ZIP", description = "The export zip.")
  Path file;

  @Option(
      names = "--public-key",
      required = true,
      paramLabel = "PEM",
      description = "The exporting server's signing key (PEM PUBLIC KEY, ECDSA P-256).")
  Path publicKey;

  @Option(
      names = "--source",
      required = true,
      paramLabel = "NAME",
      description =
          "Who the export comes from, as the log records it: 1 to 16 letters, digits, '.', '_'"
              + " or '-' (e.g. us-keyserver).")
  String source;

  @Option(
      names = "--unknown-report-type",
      paramLabel = "N",
      description =
          "Report type (1..4) given to keys the export gives none; required when there are"
              + " such keys, never assumed.")
  Integer unknownReportType;

  @Override
  public Integer call() {
    if (!LogEntries.SOURCE.matcher(source).matches()) {
      throw usage(
          "--source must be 1 to 16 letters, digits, '.', '_' or '-', got '" + source + "'");
    }
    if (unknownReportType != null && (unknownReportType < 1 || unknownReportType > 4)) {
      throw usage("--unknown-report-type must be in 1..4, got " + unknownReportType);
    }
    NodeConfig c;
    try {
      c = NodeConfig.load(config);
    } catch (InvalidConfigException e) {
      throw new UserError(config + ": " + e.getMessage(), Fedtrace.EXIT_USAGE);
    }
    GaenExport export = verifiedExport();
    List<DiagnosisKey> keys = mapped(export.keys());
    PrintWriter out = spec.commandLine().getOut();
    try (KeyImport importer = KeyImport.open(c, Clock.systemUTC())) {
      List<RuleViolation.FieldViolation> bad = importer.check(keys);
      if (!bad.isEmpty()) {
        return refuse(bad);
      }
      KeyImport.Result r = importer.store(keys, source);
      out.printf(
          "imported %d keys of region %s (window %s to %s) as %d batches of %s, sequences %s,"
              + " with %d padding keys; logged as imported from %s%n",
          r.keys(),
          export.region(),
          Instant.ofEpochSecond(export.startUnixSeconds()),
          Instant.ofEpochSecond(export.endUnixSeconds()),
          r.sequences().size(),
          importer.country(),
          r.sequences(),
          r.padding(),
          source);
      out.flush();
      return 0;
    } catch (NodeStartException | StoreException e) {
      throw new UserError(e.getMessage());
    }
  }

  private GaenExport verifiedExport() {
    GaenExport export;
    PublicKey key;
    try {
      export = GaenExport.read(file);
    } catch (IOException e) {
      throw new UserError(e.getMessage());
    }
    try {
      key = CertificateKeys.ecdsaP256PublicKey(Pem.readPublicKeyInfo(publicKey));
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("--public-key: " + e.getMessage());
    }
    try {
      export.verify(key);
    } catch (SignatureException e) {
      throw new UserError(
          file + ": signature: " + e.getMessage() + "; nothing imported",
          KeysCommand.GaenExportCommand.EXIT_BAD_SIGNATURE);
    }
    return export;
  }

  private List<DiagnosisKey> mapped(List<DiagnosisKey> keys) {
    List<DiagnosisKey> out = new ArrayList<>(keys.size());
    int unknown = 0;
    for (DiagnosisKey k : keys) {
      if (k.getReportTypeValue() != 0) {
        out.add(k);
      } else if (unknownReportType != null) {
        out.add(k.toBuilder().setReportTypeValue(unknownReportType).build());
      } else {
        unknown++;
      }
    }
    if (unknown > 0) {
      throw usage(
          unknown
              + " keys of the export carry no report type; say which they are with"
              + " --unknown-report-type (1 confirmed test, 2 clinical diagnosis, 3 self report,"
              + " 4 recursive)");
    }
    return out;
  }

  private int refuse(List<RuleViolation.FieldViolation> bad) {
    PrintWriter err = spec.commandLine().getErr();
    for (RuleViolation.FieldViolation v : bad.subList(0, Math.min(5, bad.size()))) {
      err.println("fedtrace: " + v.field() + " " + v.wireDescription());
    }
    err.println(
        "fedtrace: "
            + bad.size()
            + " violations of fedtrace's key rules"
            + (bad.size() > 5 ? " (the first 5 above)" : "")
            + "; nothing imported");
    err.flush();
    return KeysCommand.GaenExportCommand.EXIT_RULE_VIOLATIONS;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

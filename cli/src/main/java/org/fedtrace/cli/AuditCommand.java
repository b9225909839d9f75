package org.fedtrace.cli;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.fedtrace.audit.AuditReport;
import org.fedtrace.audit.AuditState;
import org.fedtrace.audit.Auditor;
import org.fedtrace.audit.GrpcLogClient;
import org.fedtrace.audit.LogClient;
import org.fedtrace.audit.WitnessCheck;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.CertificatePurpose;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.transport.MutualTls;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code fedtrace audit}: verify a node's transparency log without trusting the node. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    header = "Verify a node's transparency log without trusting the node.",
    description = {
      "Checks (spec/transparency.md section 9) the latest checkpoint's signature against the"
          + " node's batch-signing certificate, validated by the federation authority; its"
          + " consistency with the checkpoint kept in the state file; the inclusion of a sample"
          + " of entries; and, for sampled deliveries, the peer's side of them, when the peer's"
          + " address is given with --peers. Prints every check and keeps the verified"
          + " checkpoints in the state file for the next audit.",
      "",
      "Witnesses (spec/transparency.md section 15): every member cosigns its peers'"
          + " checkpoints after checking that they are consistent with the last one it cosigned,"
          + " so a node that shows one log to some and another log to others loses its"
          + " cosignatures. The audit requires that a quorum of the agreement's other members"
          + " cosigned one checkpoint of the node's log, each cosignature verified under that"
          + " member's batch-signing certificate from the federation authority, and that every"
          + " cosigned checkpoint the node serves is consistent with its latest one. Witnesses"
          + " cosign within sync.witnessIntervalSeconds (10 s by default) of a new checkpoint;"
          + " the audit asks again once a second for up to --witness-wait seconds before it"
          + " reports the quorum missing."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:every check passed (skipped checks are listed)",
      "1:a check failed, or a file could not be used",
      "2:bad command line"
    })
public final class AuditCommand implements Callable<Integer> {
  /** Deadline of every call the audit makes (R6.10). */
  static final Duration DEADLINE = Duration.ofSeconds(30);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "[CC=]HOST:PORT",
      description =
          "The node to audit, with its country: the operator is the agreement's member of CC."
              + " CC may be left out once the state file names the audited node.")
  String target;

  @Option(
      names = "--tls",
      required = true,
      paramLabel = "DIR",
      description =
          "A member's operator folder (pki issue): tls.crt and tls.key to connect with, ca.crt"
              + " as the only trust anchor, agreement.json and its signature for the members.")
  Path tls;

  /** The state file's name in the operator folder, when --state is not given. */
  static final String DEFAULT_STATE = "audit-state.json";

  @Option(
      names = "--state",
      paramLabel = "FILE",
      description =
          "Checkpoints verified before, updated after the audit (default: "
              + DEFAULT_STATE
              + " in the --tls folder, never the current directory).")
  Path state;

  @Option(
      names = "--sample",
      defaultValue = "64",
      paramLabel = "N",
      description =
          "Entries whose inclusion is checked; all when the log holds no more (default:"
              + " ${DEFAULT-VALUE}).")
  int sample;

  @Option(
      names = "--peers",
      split = ",",
      paramLabel = "CC=HOST:PORT",
      description = "Addresses of peers whose logs are cross-checked, comma-separated.")
  List<String> peers = new ArrayList<>();

  @Option(
      names = "--quorum",
      paramLabel = "N",
      description =
          "Witness cosignatures required on one checkpoint of the audited log (default: a"
              + " majority of the agreement's other members, e.g. 1 of 1, 2 of 2, 2 of 3, 3 of"
              + " 5; 0 skips the witness check).")
  Integer quorum;

  @Option(
      names = "--witness-wait",
      defaultValue = "30",
      paramLabel = "SECONDS",
      description =
          "How long to keep asking while the witness quorum is not met, for a federation that"
              + " just started (default: ${DEFAULT-VALUE}).")
  long witnessWaitSeconds;

  private final List<ManagedChannel> channels = new ArrayList<>();

  @Override
  public Integer call() {
    if (sample < 0) {
      throw usage("--sample must be at least 0, got " + sample);
    }
    Address targetAddress = address("--target", target, false);
    Map<String, Address> peerAddresses = new LinkedHashMap<>();
    for (String p : peers) {
      Address a = address("--peers", p, true);
      peerAddresses.put(a.country(), a);
    }
    CertificateValidator anchor = validator();
    Agreement agreement = agreement(anchor.authority());
    CertificateValidator validator = anchor.revoking(agreement.revokedCertificates());
    Credential credential = credential(validator);
    AuditState before = loadState();
    OperatorIdentity identity = targetIdentity(targetAddress, before, agreement);
    List<OperatorIdentity> witnesses =
        agreement.members().stream().filter(m -> !m.equals(identity)).toList();
    int required = quorum(witnesses.size());
    try {
      Auditor auditor = new Auditor(validator, Clock.systemUTC(), new SecureRandom());
      LogClient targetClient = client(targetAddress, identity, credential, validator);
      AuditReport audited =
          auditor.audit(
              identity,
              targetClient,
              before,
              sample,
              peer ->
                  Optional.ofNullable(peerAddresses.get(peer.country()))
                      .map(a -> client(a, peer, credential, validator)));
      AuditReport report =
          audited.with(
              new WitnessCheck(validator, Clock.systemUTC(), d -> Thread.sleep(d.toMillis()))
                  .check(
                      identity,
                      targetClient,
                      witnesses,
                      required,
                      Duration.ofSeconds(witnessWaitSeconds)));
      print(report, identity, targetAddress);
      saveState(report.state());
      return report.passed() ? 0 : 1;
    } finally {
      for (ManagedChannel c : channels) {
        c.shutdownNow();
      }
    }
  }

  /** The --quorum, checked, or its default: a majority of {@code witnesses}. */
  private int quorum(int witnesses) {
    if (witnessWaitSeconds < 0) {
      throw usage("--witness-wait must be at least 0, got " + witnessWaitSeconds);
    }
    if (quorum == null) {
      return witnesses / 2 + (witnesses > 0 ? 1 : 0);
    }
    if (quorum < 0 || quorum > witnesses) {
      throw usage(
          "--quorum must be 0.." + witnesses + " (the agreement's other members), got " + quorum);
    }
    return quorum;
  }

  /** A host and port, with the country it was given for, if any. */
  record Address(String country, String host, int port) {
    @Override
    public String toString() {
      return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
    }
  }

  private Address address(String option, String value, boolean countryRequired) {
    String country = "";
    String hostPort = value;
    int eq = value.indexOf('=');
    if (eq >= 0) {
      country = value.substring(0, eq);
      hostPort = value.substring(eq + 1);
      try {
        OperatorIdentity.requireCountry(country);
      } catch (IllegalArgumentException e) {
        throw usage(option + ": " + e.getMessage());
      }
    } else if (countryRequired) {
      throw usage(option + " takes CC=HOST:PORT, got " + value);
    }
    int colon = hostPort.lastIndexOf(':');
    String host = colon < 0 ? "" : hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = colon < 0 ? -1 : Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw usage(option + " needs HOST:PORT with a port in 1..65535, got " + hostPort);
    }
    return new Address(country, host, port);
  }

  private CertificateValidator validator() {
    Path file = tls.resolve(PkiFiles.CA_CERTIFICATE);
    try {
      return CertificateValidator.trusting(Pem.readCertificate(file));
    } catch (IOException | CertificateException e) {
      throw new UserError("cannot use " + file + ": " + e.getMessage());
    }
  }

  private Credential credential(CertificateValidator validator) {
    Path cert = tls.resolve(PkiFiles.TLS_CERTIFICATE);
    Credential c;
    try {
      c =
          new Credential(
              Pem.readCertificate(cert), Pem.readPrivateKey(tls.resolve(PkiFiles.TLS_KEY)));
      c.requireMatchingKey();
      validator.validate(
          c.certificate(), CertificatePurpose.TLS_CLIENT, Clock.systemUTC().instant());
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw new UserError("cannot use the TLS credential in " + tls + ": " + e.getMessage());
    }
    return c;
  }

  private Agreement agreement(X509Certificate authority) {
    try {
      return Agreement.load(tls, authority);
    } catch (IOException | AgreementException e) {
      throw new UserError("cannot use the agreement in " + tls + ": " + e.getMessage());
    }
  }

  /** The state file: --state, or {@value #DEFAULT_STATE} in the operator folder. */
  Path stateFile() {
    return state != null ? state : tls.resolve(DEFAULT_STATE);
  }

  private AuditState loadState() {
    try {
      return AuditState.load(stateFile());
    } catch (IOException e) {
      throw new UserError("cannot read the state file: " + e.getMessage());
    }
  }

  private void saveState(AuditState s) {
    try {
      s.save(stateFile());
    } catch (IOException e) {
      throw new UserError("cannot write the state file " + stateFile() + ": " + e.getMessage());
    }
  }

  private OperatorIdentity targetIdentity(Address a, AuditState s, Agreement agreement) {
    if (a.country().isEmpty()) {
      if (s.target().isEmpty()) {
        throw usage(
            "--target needs the node's country, CC=HOST:PORT, until the state file names it");
      }
      try {
        return OperatorIdentity.parse(s.target());
      } catch (IllegalArgumentException e) {
        throw new UserError("the state file's target is not a node identity: " + e.getMessage());
      }
    }
    return agreement.members().stream()
        .filter(m -> m.country().equals(a.country()))
        .findFirst()
        .orElseThrow(
            () ->
                new UserError(
                    "the agreement in "
                        + tls
                        + " (version "
                        + agreement.version()
                        + ") has no member of "
                        + a.country()));
  }

  private LogClient client(
      Address a, OperatorIdentity expected, Credential credential, CertificateValidator validator) {
    try {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(a.host(), a.port())
              .sslContext(MutualTls.client(credential, validator, Clock.systemUTC(), expected))
              .build();
      channels.add(channel);
      return new GrpcLogClient(channel, DEADLINE);
    } catch (IOException e) {
      throw new UserError("cannot set up TLS to " + a + ": " + e.getMessage());
    }
  }

  private void print(AuditReport report, OperatorIdentity identity, Address a) {
    PrintWriter out = spec.commandLine().getOut();
    int[] counts = new int[AuditReport.Kind.values().length];
    for (AuditReport.Finding f : report.findings()) {
      counts[f.kind().ordinal()]++;
      String mark =
          switch (f.kind()) {
            case VERIFIED -> "ok    ";
            case FAILED -> "FAIL  ";
            case SKIPPED -> "skip  ";
          };
      out.println(mark + f.text());
    }
    out.println(
        "audit of "
            + identity
            + " at "
            + a
            + ": "
            + counts[AuditReport.Kind.VERIFIED.ordinal()]
            + " verified, "
            + counts[AuditReport.Kind.FAILED.ordinal()]
            + " failed, "
            + counts[AuditReport.Kind.SKIPPED.ordinal()]
            + " skipped; state kept in "
            + stateFile());
    out.flush();
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

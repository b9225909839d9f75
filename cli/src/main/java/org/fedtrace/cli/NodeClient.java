package org.fedtrace.cli;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fedtrace.pki.Agreement;
import org.fedtrace.pki.AgreementException;
import org.fedtrace.pki.CertificatePurpose;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.Credential;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.Pem;
import org.fedtrace.pki.PkiFiles;
import org.fedtrace.proto.v1.FederationGrpc;
import org.fedtrace.proto.v1.GetNodeInfoRequest;
import org.fedtrace.proto.v1.GetNodeInfoResponse;
import org.fedtrace.transport.MutualTls;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * What {@code publish} and {@code pull} share: the options that name a node and the operator folder
 * to call it with, the mutual-TLS channel, the agreement check every connection starts with (R7.9,
 * R7.10), and one-line messages for failed calls with their exit status.
 */
final class NodeClient {
  /** Exit status: every call succeeded. */
  static final int EXIT_OK = 0;

  /** Exit status: a local problem (files, credentials). */
  static final int EXIT_LOCAL = 1;

  /** Exit status: the node refused a request; sending it again will not help. */
  static final int EXIT_REFUSED = 3;

  /** Exit status: the node could not be reached or asked to retry later. */
  static final int EXIT_RETRY = 4;

  /** Exit status: the node enforces another agreement than the operator folder's (R7.10). */
  static final int EXIT_AGREEMENT = 5;

  private static final int MAX_MESSAGE_BYTES = 8 << 20;

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Address of the node's gRPC listener.")
  String target;

  @Option(
      names = "--tls",
      required = true,
      paramLabel = "DIR",
      description =
          "Operator folder written by 'fedtrace pki issue': tls.crt and tls.key (the client"
              + " certificate presented), ca.crt (the only trust anchor) and agreement.json"
              + " (compared with the node's, R7.9).")
  Path tls;

  @Option(
      names = "--server-identity",
      required = true,
      paramLabel = "CC/OPERATOR",
      description =
          "The identity the node's certificate must carry, e.g. FR/op-fr; the connection is"
              + " refused otherwise (R6.9).")
  String serverIdentity;

  @Option(
      names = "--deadline-seconds",
      defaultValue = "60",
      paramLabel = "N",
      description = "Deadline of every unary call, in seconds (default: ${DEFAULT-VALUE}).")
  long deadlineSeconds;

  /** The trust anchor of the operator folder. */
  CertificateValidator validator() {
    try {
      return CertificateValidator.trusting(
          Pem.readCertificate(tls.resolve(PkiFiles.CA_CERTIFICATE)));
    } catch (IOException | CertificateException e) {
      throw local(PkiFiles.CA_CERTIFICATE, e);
    }
  }

  /** The folder's agreement, which the node must enforce too (R7.10). */
  Agreement agreement(CertificateValidator validator) {
    try {
      return Agreement.load(tls, validator.authority());
    } catch (IOException | AgreementException e) {
      throw local(PkiFiles.AGREEMENT, e);
    }
  }

  /**
   * A channel to the node over mutual TLS, after checking the command line and the client
   * certificate; the channel verifies that the server is {@code --server-identity}.
   */
  ManagedChannel open(CertificateValidator validator) {
    if (deadlineSeconds < 1) {
      throw usage("--deadline-seconds must be at least 1, got " + deadlineSeconds);
    }
    OperatorIdentity server = parseServerIdentity();
    int colon = target.lastIndexOf(':');
    int port = colon < 0 ? -1 : parsePort(target.substring(colon + 1));
    if (colon < 1 || port < 1 || port > 65_535) {
      throw usage("--target must be HOST:PORT with a port in 1..65535, got '" + target + "'");
    }
    String host = target.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    Credential credential = credential(validator);
    try {
      return NettyChannelBuilder.forAddress(host, port)
          .sslContext(MutualTls.client(credential, validator, Clock.systemUTC(), server))
          .maxInboundMessageSize(MAX_MESSAGE_BYTES)
          .build();
    } catch (IOException e) {
      throw new UserError("cannot set up TLS: " + e.getMessage(), EXIT_LOCAL);
    }
  }

  private Credential credential(CertificateValidator validator) {
    Credential c;
    try {
      c =
          new Credential(
              Pem.readCertificate(tls.resolve(PkiFiles.TLS_CERTIFICATE)),
              Pem.readPrivateKey(tls.resolve(PkiFiles.TLS_KEY)));
      validator.validate(
          c.certificate(), CertificatePurpose.TLS_CLIENT, Clock.systemUTC().instant());
      c.requireMatchingKey();
    } catch (IOException | CertificateRejectedException | IllegalArgumentException e) {
      throw local(PkiFiles.TLS_CERTIFICATE + "/" + PkiFiles.TLS_KEY, e);
    }
    return c;
  }

  private OperatorIdentity parseServerIdentity() {
    try {
      return OperatorIdentity.parse(serverIdentity);
    } catch (IllegalArgumentException e) {
      throw usage("--server-identity '" + serverIdentity + "': " + e.getMessage());
    }
  }

  private static int parsePort(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * GetNodeInfo, which every connection used for exchange starts with (R7.9): refuses a node whose
   * agreement differs from the folder's (R7.10).
   */
  GetNodeInfoResponse checkNode(ManagedChannel channel, Agreement agreement) {
    GetNodeInfoResponse info;
    try {
      info =
          FederationGrpc.newBlockingStub(channel)
              .withDeadlineAfter(Math.min(deadlineSeconds, 30), TimeUnit.SECONDS)
              .getNodeInfo(GetNodeInfoRequest.getDefaultInstance());
    } catch (StatusRuntimeException e) {
      throw failure("GetNodeInfo", e);
    }
    if (!Arrays.equals(info.getAgreementSha256().toByteArray(), agreement.sha256())) {
      throw new UserError(
          "the node enforces another agreement ("
              + info.getFederation()
              + ", sha256 "
              + HexFormat.of().formatHex(info.getAgreementSha256().toByteArray())
              + ") than "
              + tls.resolve(PkiFiles.AGREEMENT)
              + " (sha256 "
              + HexFormat.of().formatHex(agreement.sha256())
              + "); R7.10 forbids exchanging with it",
          EXIT_AGREEMENT);
    }
    return info;
  }

  /**
   * The one-line error for a failed call: the status code, its message and every field violation of
   * a google.rpc.BadRequest detail, with the exit status for the code.
   */
  static UserError failure(String rpc, StatusRuntimeException e) {
    Status status = e.getStatus();
    StringBuilder b = new StringBuilder(rpc).append(" failed: ").append(status.getCode());
    String description = status.getDescription();
    if (description != null && !description.isBlank()) {
      b.append(": ").append(description.lines().findFirst().orElse("").strip());
    }
    Throwable cause = status.getCause();
    while (cause != null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause != null && cause.getMessage() != null) {
      b.append(" (").append(cause.getMessage().replace('\n', ' ')).append(')');
    }
    List<String> fields = fieldViolations(e);
    if (!fields.isEmpty()) {
      b.append(" [").append(String.join("; ", fields)).append(']');
    }
    return new UserError(b.toString(), exitCode(status.getCode()));
  }

  private static List<String> fieldViolations(StatusRuntimeException e) {
    List<String> out = new ArrayList<>();
    com.google.rpc.Status details = StatusProto.fromThrowable(e);
    if (details == null) {
      return out;
    }
    for (Any any : details.getDetailsList()) {
      if (any.is(BadRequest.class)) {
        try {
          for (BadRequest.FieldViolation v :
              any.unpack(BadRequest.class).getFieldViolationsList()) {
            out.add(v.getField() + ": " + v.getDescription());
          }
        } catch (InvalidProtocolBufferException ignored) {
          out.add("(unreadable BadRequest detail)");
        }
      }
    }
    return out;
  }

  /** The exit status for a status code: retry later, or do not resend. */
  static int exitCode(Status.Code code) {
    switch (code) {
      case UNAVAILABLE:
      case DEADLINE_EXCEEDED:
      case RESOURCE_EXHAUSTED:
      case ABORTED:
        return EXIT_RETRY;
      default:
        return EXIT_REFUSED;
    }
  }

  private UserError local(String file, Exception e) {
    String what =
        e instanceof NoSuchFileException ? "is missing" : "is unusable: " + e.getMessage();
    return new UserError("--tls " + tls + ": " + file + " " + what, EXIT_LOCAL);
  }

  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}

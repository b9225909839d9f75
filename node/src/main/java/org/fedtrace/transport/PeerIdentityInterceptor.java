package org.fedtrace.transport;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.fedtrace.pki.CertificatePurpose;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.pki.CertificateValidator;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;
import org.fedtrace.rules.Statuses;

/**
 * The one place that turns a TLS client certificate into the caller's identity (spec §6.4 step 3):
 * trust (R6.3), identity (R6.6), purpose (R6.7) and membership (R6.8), then the identity goes into
 * the gRPC {@link Context} under {@link Caller#KEY}. It reads only the TLS session the node itself
 * terminated, never a header. The verdict is cached in the session, so a long-lived connection is
 * validated once.
 */
public final class PeerIdentityInterceptor implements ServerInterceptor {
  private static final String CACHE = "org.fedtrace.identity";

  /** Services an auditor certificate may call (spec transparency.md §15.7, R17.16). */
  public static final Set<String> AUDITOR_SERVICES =
      Set.of("fedtrace.v1.TransparencyLog", "grpc.health.v1.Health");

  /** Single methods of other services an auditor certificate may call. */
  public static final Set<String> AUDITOR_METHODS = Set.of("fedtrace.v1.Federation/GetNodeInfo");

  /** A verdict on a session's certificate: who, and whether as an auditor. */
  private record Identified(OperatorIdentity identity, boolean auditor) {}

  private final CertificateValidator validator;
  private final Clock clock;
  private final Predicate<OperatorIdentity> isMember;

  /**
   * @param isMember whether an identity is a member of the agreement the node enforces
   */
  public PeerIdentityInterceptor(
      CertificateValidator validator, Clock clock, Predicate<OperatorIdentity> isMember) {
    this.validator = validator;
    this.clock = clock;
    this.isMember = isMember;
  }

  /** Whether an auditor certificate may call {@code fullMethodName} (R17.16). */
  public static boolean auditorMayCall(String fullMethodName) {
    String service = fullMethodName.substring(0, Math.max(0, fullMethodName.indexOf('/')));
    return AUDITOR_SERVICES.contains(service) || AUDITOR_METHODS.contains(fullMethodName);
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OperatorIdentity identity;
    try {
      Identified who = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
      String method = call.getMethodDescriptor().getFullMethodName();
      if (who.auditor() && !auditorMayCall(method)) {
        throw new RuleViolation(
            Rule.AUDITOR_READ_ONLY,
            "an auditor certificate may call only TransparencyLog, GetNodeInfo and health, not "
                + method);
      }
      identity = who.identity();
    } catch (RuleViolation v) {
      Status status = Status.fromCode(v.rule().code()).withDescription(v.getMessage());
      call.close(status, Statuses.trailers(v));
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, identity), call, headers, next);
  }

  private Identified identify(SSLSession session) {
    if (session == null) {
      throw new RuleViolation(Rule.NO_PEER_IDENTITY, "the call did not come over TLS");
    }
    Object cached = session.getValue(CACHE);
    if (cached instanceof Identified known) {
      return known;
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Certificate c : session.getPeerCertificates()) {
        if (c instanceof X509Certificate) {
          chain.add((X509Certificate) c);
        }
      }
    } catch (SSLPeerUnverifiedException e) {
      throw new RuleViolation(Rule.NO_PEER_IDENTITY, "the client presented no certificate");
    }
    OperatorIdentity identity;
    try {
      identity = validator.validate(chain, CertificatePurpose.TLS_CLIENT, clock.instant());
    } catch (CertificateRejectedException e) {
      throw switch (e.reason()) {
        case WRONG_PURPOSE ->
            new RuleViolation(
                Rule.PEER_CERTIFICATE_WRONG_PURPOSE,
                "the client certificate is not a TLS client certificate");
        case NO_IDENTITY, MALFORMED, NO_CERTIFICATE ->
            new RuleViolation(
                Rule.NO_PEER_IDENTITY, "the client certificate names no valid operator");
        case REVOKED ->
            new RuleViolation(
                Rule.PEER_CERTIFICATE_REVOKED,
                "the client certificate is revoked by the federation agreement");
        default ->
            new RuleViolation(
                Rule.PEER_CERTIFICATE_UNTRUSTED,
                "the client certificate is not trusted by the federation authority now");
      };
    }
    boolean auditor = CertificateValidator.isAuditor(chain.get(0));
    if (!auditor && !isMember.test(identity)) {
      throw new RuleViolation(
          Rule.PEER_NOT_A_MEMBER, identity + " is not a member of the federation agreement");
    }
    Identified who = new Identified(identity, auditor);
    session.putValue(CACHE, who);
    return who;
  }
}

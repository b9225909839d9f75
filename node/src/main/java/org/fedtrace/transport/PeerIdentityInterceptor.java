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

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    OperatorIdentity identity;
    try {
      identity = identify(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    } catch (RuleViolation v) {
      Status status = Status.fromCode(v.rule().code()).withDescription(v.getMessage());
      call.close(status, Statuses.trailers(v));
      return new ServerCall.Listener<>() {};
    }
    return Contexts.interceptCall(
        Context.current().withValue(Caller.KEY, identity), call, headers, next);
  }

  private OperatorIdentity identify(SSLSession session) {
    if (session == null) {
      throw new RuleViolation(Rule.NO_PEER_IDENTITY, "the call did not come over TLS");
    }
    Object cached = session.getValue(CACHE);
    if (cached instanceof OperatorIdentity) {
      return (OperatorIdentity) cached;
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
    if (!isMember.test(identity)) {
      throw new RuleViolation(
          Rule.PEER_NOT_A_MEMBER, identity + " is not a member of the federation agreement");
    }
    session.putValue(CACHE, identity);
    return identity;
  }
}

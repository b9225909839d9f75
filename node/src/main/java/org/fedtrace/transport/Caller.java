package org.fedtrace.transport;

import io.grpc.Context;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The authenticated caller of the current RPC: the operator named by the federation certificate it
 * presented in the TLS handshake. {@link PeerIdentityInterceptor} puts it in the gRPC {@link
 * Context}; nothing else does, and nothing reads identity from headers.
 */
public final class Caller {
  /** Where the interceptor puts the caller's identity. */
  public static final Context.Key<OperatorIdentity> KEY = Context.key("fedtrace-caller");

  private Caller() {}

  /**
   * The caller of the current RPC.
   *
   * @throws RuleViolation {@link Rule#NO_PEER_IDENTITY} when the call carried no identity
   */
  public static OperatorIdentity current() {
    OperatorIdentity id = KEY.get();
    if (id == null) {
      throw new RuleViolation(Rule.NO_PEER_IDENTITY, "the call has no authenticated identity");
    }
    return id;
  }
}

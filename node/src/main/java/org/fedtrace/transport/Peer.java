package org.fedtrace.transport;

import io.grpc.Context;
import org.fedtrace.rules.Rule;
import org.fedtrace.rules.RuleViolation;

/**
 * The authenticated caller of an RPC: an operator, named by the federation certificate it presented
 * in the TLS handshake. Never read from headers.
 *
 * @param country ISO 3166-1 alpha-2 code
 * @param operatorId the operator id assigned by the federation authority
 */
public record Peer(String country, String operatorId) {
  /** Where the interceptor puts the caller's identity. */
  public static final Context.Key<Peer> CONTEXT_KEY = Context.key("fedtrace-peer");

  /**
   * The caller of the current RPC.
   *
   * @throws RuleViolation {@link Rule#NO_PEER_IDENTITY} when the call carried no identity
   */
  public static Peer current() {
    Peer p = CONTEXT_KEY.get();
    if (p == null) {
      throw new RuleViolation(Rule.NO_PEER_IDENTITY, "the call has no authenticated peer");
    }
    return p;
  }

  /** "CC/operator-id". */
  public String name() {
    return country + "/" + operatorId;
  }

  @Override
  public String toString() {
    return name();
  }
}

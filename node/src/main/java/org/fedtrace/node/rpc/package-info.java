/**
 * The node's gRPC services, named after the proto services they serve ({@code FederationService}
 * serves {@code fedtrace.v1.Federation}), and the interceptors every call passes first ({@link
 * org.fedtrace.node.rpc.RpcServices}): identity, well-formed request, node state, rate limit, the
 * mapping of failures to status codes, and call metrics. Handlers hold only their RPC's own rules.
 */
package org.fedtrace.node.rpc;

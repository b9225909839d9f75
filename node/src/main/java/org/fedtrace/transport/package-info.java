/**
 * Mutual TLS on every listener and channel, and the one interceptor that turns a client certificate
 * into the caller's {@link org.fedtrace.transport.Peer} identity.
 */
package org.fedtrace.transport;

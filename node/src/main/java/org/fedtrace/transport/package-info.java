/**
 * Mutual TLS on every listener and channel, and the one interceptor that turns a client certificate
 * into the caller's identity ({@link org.fedtrace.transport.Caller}).
 */
package org.fedtrace.transport;

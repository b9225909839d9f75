/**
 * The conformance suite: one catalogue of cases, one per rule of the spec, and the runners that run
 * it against a node in this process or a remote one by address and TLS files (spec/conformance.md).
 */
package org.fedtrace.conformance;

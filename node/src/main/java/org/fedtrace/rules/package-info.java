/**
 * The spec's numbered rules, the one exception type that reports a broken rule, and the one place
 * that turns it into a gRPC status.
 */
package org.fedtrace.rules;

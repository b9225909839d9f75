/**
 * The auditor: checks a node's transparency log without trusting it (spec/transparency.md §9), over
 * the node's TransparencyLog service, and keeps what it saw between audits.
 */
package org.fedtrace.audit;

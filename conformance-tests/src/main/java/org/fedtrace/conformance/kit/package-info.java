/**
 * The conformance kit: the test operators (certificates and keys, deliberately bad ones among them)
 * that a node under test must accept as members, written from the spec alone.
 */
package org.fedtrace.conformance.kit;

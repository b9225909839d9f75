/**
 * A federation node's wiring and lifecycle: the {@link org.fedtrace.node.Node} facade that starts
 * and stops it, the assembly that loads its files and builds its parts, its own scheduled work, and
 * {@link org.fedtrace.node.NodeSeam}, the one place parts can be replaced. The parts live in the
 * packages below: {@code config}, {@code lifecycle}, {@code metrics}, {@code wire}, {@code
 * exchange}, {@code operator} and {@code rpc} (node/README.md walks through them).
 */
package org.fedtrace.node;

/**
 * The {@code fedtrace} command line: one picocli command per job (simulate, node, pki, publish,
 * pull, conformance, audit, keys, bench), each with its own {@code --help}.
 */
package org.fedtrace.cli;

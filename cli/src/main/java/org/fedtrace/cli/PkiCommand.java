package org.fedtrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fedtrace pki}: the federation authority's certificates and agreement. */
@Command(
    name = "pki",
    mixinStandardHelpOptions = true,
    description = "Create the federation authority and issue operator certificates.")
public final class PkiCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}

package org.fedtrace.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code fedtrace bench}: measurement harnesses that print their figures. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Measure fedtrace's hot paths on synthetic data and print the figures.")
public final class BenchCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}

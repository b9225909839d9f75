package org.fedtrace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code fedtrace} command: one launcher, one subcommand per job. */
@Command(
    name = "fedtrace",
    mixinStandardHelpOptions = true,
    versionProvider = Fedtrace.Version.class,
    description = {
      "Reference implementation of the fedtrace cross-border federated contact-tracing protocol.",
      "Run a subcommand with --help for its options."
    },
    subcommands = {
      SimulateCommand.class,
      PkiCommand.class,
      NodeCommand.class,
      KeysCommand.class,
      ExportCommand.class,
      ImportCommand.class,
      StoreCommand.class,
      AuditCommand.class,
      StatsCommand.class,
      ConformanceCommand.class,
      PublishCommand.class,
      PullCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Fedtrace implements Runnable {
  /** Exit status of a usage error: a bad option value or a missing argument. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Entry point of the runnable jar. */
  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /**
   * The configured command line: usage errors print one line to stderr and exit with status 2;
   * unexpected failures print one line and exit with status 1.
   */
  public static CommandLine newCommandLine() {
    CommandLine cl = new CommandLine(new Fedtrace());
    cl.getSubcommands()
        .get("node")
        .getCommandSpec()
        .usageMessage()
        .footer(NodeCommand.settingsHelp());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println(
              "fedtrace: "
                  + ex.getMessage()
                  + " (see '"
                  + ex.getCommandLine().getCommandSpec().qualifiedName()
                  + " --help')");
          err.flush();
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("fedtrace: " + describe(ex));
          err.flush();
          return ex instanceof UserError ? ((UserError) ex).exitCode() : 1;
        });
    return cl;
  }

  private static String describe(Exception ex) {
    String msg = ex.getMessage();
    if (ex instanceof UserError) {
      return msg;
    }
    return ex.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
  }

  /** Reports the version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Fedtrace.class.getPackage().getImplementationVersion();
      return new String[] {"fedtrace " + (v == null ? "development build" : v)};
    }
  }
}

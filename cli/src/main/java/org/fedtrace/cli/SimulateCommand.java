package org.fedtrace.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.fedtrace.sim.Outcome;
import org.fedtrace.sim.ProgressLine;
import org.fedtrace.sim.Simulator;
import org.fedtrace.sim.federation.FederationFactory;
import org.fedtrace.sim.federation.NodeFederation;
import org.fedtrace.sim.federation.NodeLauncher;
import org.fedtrace.sim.federation.ProcessFederation;
import org.fedtrace.sim.federation.Topology;
import org.fedtrace.sim.matching.EngineMatcher;
import org.fedtrace.sim.matching.ExposureMatcher;
import org.fedtrace.sim.metrics.Measurement;
import org.fedtrace.sim.report.Report;
import org.fedtrace.sim.report.ReportWriter;
import org.fedtrace.sim.report.Summary;
import org.fedtrace.sim.scenario.MatchingMode;
import org.fedtrace.sim.scenario.Overrides;
import org.fedtrace.sim.scenario.Scenario;
import org.fedtrace.sim.scenario.ScenarioException;
import org.fedtrace.sim.scenario.ScenarioLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fedtrace simulate}: the federation simulator. Runs a scenario against real nodes (in this
 * JVM, or one process each with {@code --processes}), measures the outcome and writes the report.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a federation: a synthetic population moves across borders, meets, falls ill,"
          + " uploads diagnosis keys; the nodes exchange them and phones are notified. Measures"
          + " throughput, accuracy, latency, traffic and privacy leakage against ground truth,"
          + " next to a centralized tracking baseline on the same population and seed.",
      "",
      "Options override the scenario file. Writes report.md, report.json, scenario.yaml and PNG"
          + " charts to the --out folder. Scenario fields: federation-sim/README.md."
    },
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:report written",
      "1:unexpected failure",
      "2:invalid option, or invalid or missing scenario file"
    })
public final class SimulateCommand implements Callable<Integer> {
  /** The federation of a run in this JVM: real nodes, gRPC over mutual TLS on loopback. */
  static final FederationFactory FEDERATION = NodeFederation::new;

  /** The matcher of a run: fedtrace's matching engine, as phones would run it. */
  static final Supplier<ExposureMatcher> MATCHER = EngineMatcher::new;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description =
          "Scenario file (YAML). Default: the built-in scenario,"
              + " federation-sim/scenarios/default.yaml.")
  Path scenario;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      defaultValue = "sim-out",
      description = "Report folder, created if missing (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", paramLabel = "N", description = "Seed of every random choice.")
  Long seed;

  @Option(names = "--agents", paramLabel = "N", description = "Simulated people.")
  Integer agents;

  @Option(names = "--days", paramLabel = "N", description = "Simulated days, 1..365.")
  Integer days;

  @Option(
      names = "--countries",
      paramLabel = "CC,CC,...",
      split = ",",
      description =
          "Member countries (ISO 3166-1 alpha-2). Countries the scenario does not list get its"
              + " country_defaults; travel pairs with other countries are dropped.")
  List<String> countries;

  @Option(
      names = "--topology",
      paramLabel = "mesh|hub|chain",
      description = "How the nodes are connected.")
  String topology;

  @Option(
      names = "--matching",
      paramLabel = "device|operator",
      description = "Where keys are matched: on the phones or at the home node.")
  String matching;

  @Option(
      names = "--processes",
      description =
          "Run each country's node as a process of its own (a real node, gRPC over mutual TLS"
              + " between processes, on simulated time shared through a memory-mapped file)"
              + " instead of all nodes in this JVM. Same figures, slower start; meant for a few"
              + " countries (each node process takes about 175 MB).")
  boolean processes;

  @Override
  public Integer call() throws IOException {
    // the nodes' own logs would drown the progress line; warnings and errors still show
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    Scenario s = scenario();
    if (Files.exists(out) && !Files.isDirectory(out)) {
      throw new UserError("--out " + out + " exists and is not a folder", Fedtrace.EXIT_USAGE);
    }
    PrintWriter err = spec.commandLine().getErr();
    ProgressLine progress = new ProgressLine(err, System.console() != null);
    int threads = Runtime.getRuntime().availableProcessors();
    FederationFactory federation =
        processes ? ProcessFederation.factory(NodeLauncher.current()) : FEDERATION;
    Outcome outcome = new Simulator(s, federation, MATCHER.get(), progress, threads).run();
    progress.phase("measure");
    Report report = Measurement.measure(outcome, source());
    progress.phase("report");
    Path md = ReportWriter.write(report, s, out);
    progress.finish();
    Summary.print(spec.commandLine().getOut(), report, md);
    return 0;
  }

  private Scenario scenario() {
    Scenario base;
    try {
      base = scenario == null ? ScenarioLoader.builtInDefault() : ScenarioLoader.load(scenario);
    } catch (ScenarioException e) {
      throw new UserError(e.getMessage(), Fedtrace.EXIT_USAGE);
    }
    try {
      Overrides o =
          new Overrides(
              seed,
              agents,
              days,
              countries == null
                  ? null
                  : countries.stream().map(c -> c.trim().toUpperCase(Locale.ROOT)).toList(),
              topology == null ? null : parse("--topology", topology, Topology::parse),
              matching == null ? null : parse("--matching", matching, MatchingMode::parse));
      return o.applyTo(base);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static <T> T parse(
      String option, String value, java.util.function.Function<String, T> p) {
    try {
      return p.apply(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " " + e.getMessage(), e);
    }
  }

  private String source() {
    return scenario == null ? "built-in default" : scenario.toString();
  }
}

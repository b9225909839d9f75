package org.fedtrace.cli;

import picocli.CommandLine.Command;

/** {@code fedtrace simulate}: the federation simulator (issue 5). */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Simulate a federation of real nodes; report throughput, accuracy and leakage.",
      "",
      "Not built yet: the simulator depends on the node and the matching engine."
    })
public final class SimulateCommand implements Runnable {
  @Override
  public void run() {
    throw new UserError(
        "the simulator is not built yet: it needs the federation node and the matching engine"
            + " (see the open issues); 'fedtrace keys' and 'fedtrace pki' work today",
        3);
  }
}

package org.fedtrace.chaos;

import java.util.Locale;

/** The kinds of fault a round injects; one per round, taking turns. */
enum FaultKind {
  /** SIGKILL a node at a random point under load, then start it again. */
  KILL("kill -9"),
  /** Fill the file system of a node's store until writes fail, hold, then free it. */
  DISK_FULL("disk full"),
  /**
   * Stop a node, delete or damage its store, and start it: it must refuse with a clear error; the
   * store is then restored from the copy taken while it was stopped.
   */
  DAMAGE("damaged store"),
  /** Cut, stall or delay every link between one node and its peers, then heal. */
  PARTITION("partition"),
  /** Restart a node with its clock moved within the spec's ±300 s (R1.1), through libfaketime. */
  SKEW("clock skew");

  private final String label;

  FaultKind(String label) {
    this.label = label;
  }

  /** How the summary names it. */
  String label() {
    return label;
  }

  /** The name on the command line: kill, disk, damage, partition, skew. */
  String option() {
    return switch (this) {
      case DISK_FULL -> "disk";
      default -> name().toLowerCase(Locale.ROOT);
    };
  }

  /**
   * The kind named {@code option} on the command line.
   *
   * @throws IllegalArgumentException if none is
   */
  static FaultKind parse(String option) {
    for (FaultKind k : values()) {
      if (k.option().equals(option)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown fault " + option + " (kill, disk, damage, partition, skew)");
  }
}

package org.fedtrace.bench;

import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The command line of a benchmark harness: {@code --name value} pairs, flags and {@code --help}.
 */
final class HarnessArgs {
  private HarnessArgs() {}

  /**
   * Hands each option of {@code args} to {@code set}: a flag of {@code flags} with a null value,
   * any other option with the argument after it. {@code --help} prints {@code usage} and exits.
   *
   * @throws IllegalArgumentException for an option without its value, or what {@code set} throws
   */
  static void parse(
      String[] args, String usage, Set<String> flags, BiConsumer<String, String> set) {
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (name.equals("--help")) {
        System.out.println(usage);
        System.exit(0);
      }
      if (flags.contains(name)) {
        set.accept(name, null);
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(name + " needs a value");
      }
      set.accept(name, args[++i]);
    }
  }

  /**
   * The whole number {@code v} of option {@code name}, at least 1; underscores may group digits.
   *
   * @throws IllegalArgumentException naming the option when it is smaller
   */
  static int positive(String name, String v) {
    int n = Integer.parseInt(v.replace("_", ""));
    if (n < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
    return n;
  }
}

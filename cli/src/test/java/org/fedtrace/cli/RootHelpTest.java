package org.fedtrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command list of {@code fedtrace --help}: every summary is a whole sentence. */
class RootHelpTest {
  @Test
  void everyCommandIsSummedUpInWholeSentences() {
    StringWriter out = new StringWriter();
    CommandLine cl = Fedtrace.newCommandLine();
    cl.setOut(new PrintWriter(out, true));
    assertEquals(0, cl.execute("--help"));
    String help = out.toString();
    List<String> summaries = new ArrayList<>();
    boolean commands = false;
    for (String line : help.split("\n")) {
      if (line.equals("Commands:")) {
        commands = true;
      } else if (commands && line.startsWith("  ") && !line.startsWith("   ")) {
        summaries.add(line.trim().replaceFirst("^\\S+\\s+", ""));
      } else if (commands && line.startsWith("   ") && !summaries.isEmpty()) {
        int last = summaries.size() - 1;
        summaries.set(last, summaries.get(last) + " " + line.trim());
      }
    }
    assertTrue(summaries.size() >= 10, help);
    for (String s : summaries) {
      assertTrue(s.endsWith("."), "a summary cut mid-sentence: '" + s + "'\n" + help);
    }
    assertTrue(
        help.contains("audit        Verify a node's transparency log without trusting"), help);
  }
}

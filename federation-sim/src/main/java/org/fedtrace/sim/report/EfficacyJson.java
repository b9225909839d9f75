package org.fedtrace.sim.report;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.fedtrace.sim.counterfactual.CameraSweep;
import org.fedtrace.sim.counterfactual.SchemeOutcome;

/** The {@code efficacy} object of report.json. */
final class EfficacyJson {
  private EfficacyJson() {}

  static ObjectNode write(Efficacy e) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    ObjectNode schemes = n.putObject("schemes");
    for (SchemeOutcome o : e.schemes()) {
      ObjectNode s = schemes.putObject(o.scheme().label());
      s.put("index_cases", o.indexCases());
      s.put("infections", o.infections());
      s.put("infections_averted", o.averted());
      s.put("notified", o.notified());
      number(s, "precision", o.precision());
      number(s, "recall", o.recall());
      s.put("quarantined", o.quarantined());
      s.put("quarantined_without_cause", o.quarantinedWithoutCause());
      s.put("people_learned_about", o.learnedAbout());
      s.put("learns", o.scheme().learns());
      s.put("false_matches", o.falseMatches());
      var days = s.putArray("infections_per_day");
      for (long d : o.infectionsByDay()) {
        days.add(d);
      }
    }
    n.put("camera_searches_per_day", e.cameraSearchesPerDay());
    var sweep = n.putArray("camera_false_matches_sweep");
    for (CameraSweep.Point p : e.cameraSweep()) {
      ObjectNode x = sweep.addObject();
      x.put("watched_people", p.watched());
      x.put("expected_per_day", p.expectedPerDay());
      x.put("measured_per_day", p.measuredPerDay());
    }
    n.put("fedtrace_expected_false_matches", e.fedtraceFalseMatches());
    return n;
  }

  private static void number(ObjectNode n, String name, double v) {
    if (Double.isFinite(v)) {
      n.put(name, v);
    } else {
      n.putNull(name);
    }
  }
}

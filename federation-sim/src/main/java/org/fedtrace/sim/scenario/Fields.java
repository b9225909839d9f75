package org.fedtrace.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads and checks the fields of one YAML mapping. Every failure names the field by its full path
 * ({@code countries[2].app_adoption}).
 */
final class Fields {
  private final JsonNode node;
  private final String path;

  Fields(JsonNode node, String path) throws InvalidField {
    if (!node.isObject()) {
      throw new InvalidField(path.isEmpty() ? "the scenario" : path, "must be a mapping");
    }
    this.node = node;
    this.path = path;
  }

  /** Refuses any field not in {@code names}. */
  Fields only(Set<String> names) throws InvalidField {
    Iterator<String> it = node.fieldNames();
    while (it.hasNext()) {
      String name = it.next();
      if (!names.contains(name)) {
        throw new InvalidField(at(name), "unknown field");
      }
    }
    return this;
  }

  boolean has(String name) {
    return node.hasNonNull(name);
  }

  Fields object(String name) throws InvalidField {
    return new Fields(require(name), at(name));
  }

  List<Fields> objects(String name, int min, int max) throws InvalidField {
    JsonNode list = require(name);
    if (!list.isArray()) {
      throw new InvalidField(at(name), "must be a list");
    }
    if (list.size() < min || list.size() > max) {
      throw new InvalidField(
          at(name), "must have " + min + ".." + max + " entries, got " + list.size());
    }
    List<Fields> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      out.add(new Fields(list.get(i), at(name) + "[" + i + "]"));
    }
    return out;
  }

  String text(String name) throws InvalidField {
    JsonNode v = require(name);
    if (v.isBoolean()) {
      throw new InvalidField(
          at(name),
          "must be a string; YAML reads unquoted yes, no, on, off, true, false as booleans, so"
              + " quote it (\"NO\")");
    }
    if (!v.isTextual()) {
      throw new InvalidField(at(name), "must be a string, got " + v);
    }
    return v.asText();
  }

  boolean bool(String name) throws InvalidField {
    JsonNode v = require(name);
    if (!v.isBoolean()) {
      throw new InvalidField(at(name), "must be true or false, got " + v);
    }
    return v.asBoolean();
  }

  double number(String name, double min, double max) throws InvalidField {
    JsonNode v = require(name);
    if (!v.isNumber()) {
      throw new InvalidField(at(name), "must be a number, got " + v);
    }
    double d = v.asDouble();
    if (!(d >= min && d <= max)) {
      throw new InvalidField(at(name), "must be in " + fmt(min) + ".." + fmt(max) + ", got " + v);
    }
    return d;
  }

  long longInteger(String name, long min, long max) throws InvalidField {
    JsonNode v = require(name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidField(at(name), "must be a whole number, got " + v);
    }
    long l = v.asLong();
    if (l < min || l > max) {
      throw new InvalidField(at(name), "must be in " + min + ".." + max + ", got " + l);
    }
    return l;
  }

  int integer(String name, int min, int max) throws InvalidField {
    return (int) longInteger(name, min, max);
  }

  String at(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private JsonNode require(String name) throws InvalidField {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new InvalidField(at(name), "is missing");
    }
    return v;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** A field with an invalid value. */
  static final class InvalidField extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidField(String field, String problem) {
      super(field + ": " + problem);
    }
  }
}

package org.fedtrace.sim.counterfactual;

/** A tracing scheme compared in the counterfactual table, in the table's order. */
public enum Scheme {
  /** Nobody is traced; diagnosed people still isolate. */
  NONE("none", "nothing"),
  /** Interviews of diagnosed people find some of their domestic contacts. */
  MANUAL("manual", "the health authority learns the names of the contacts each case names"),
  /** The apps alone, each country's keys staying in that country (model). */
  APPS_NATIONAL("apps_national", "uploaders' daily keys, published in their own country only"),
  /** The same apps with every key reaching every country (model). */
  APPS_FEDERATED("apps_federated", "uploaders' daily keys, published in every member country"),
  /** fedtrace itself: the real nodes of this run. */
  FEDTRACE("fedtrace", "uploaders' daily keys, exchanged by the nodes with every member"),
  /** Every subscriber's visits shipped to one tracker. */
  CENTRAL("central", "every subscriber's place and hour, all day, under a stable pseudonym"),
  /** Cameras at places recognise faces. */
  CAMERA("camera", "the face, place and hour of everybody a camera recognises");

  private final String label;
  private final String learns;

  Scheme(String label, String learns) {
    this.label = label;
    this.learns = learns;
  }

  /** The name in the report. */
  public String label() {
    return label;
  }

  /** What the scheme's operator learns about people, in words. */
  public String learns() {
    return learns;
  }
}

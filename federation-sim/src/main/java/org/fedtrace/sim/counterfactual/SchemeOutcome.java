package org.fedtrace.sim.counterfactual;

/**
 * What one scheme gave, on the same seed and population as the others.
 *
 * @param scheme the scheme
 * @param indexCases people the scheme traced from
 * @param infections people infected during the simulated days (initial cases not counted)
 * @param averted the infections of {@link Scheme#NONE} minus these
 * @param notified people notified at least once (the drain included)
 * @param precision notified people who were infected when first notified, over notified; NaN when
 *     nobody was notified
 * @param recall people infected by one of the scheme's index cases who were notified, over the
 *     people infected by one of its index cases; NaN when there are none
 * @param quarantined people who quarantined at least once
 * @param quarantinedWithoutCause people who began a quarantine while not infected
 * @param learnedAbout people the scheme's operator learns something about (see {@link
 *     Scheme#learns})
 * @param falseMatches camera: faces wrongly matched with an index case; 0 for the others
 * @param infectionsByDay new infections per simulated day
 */
public record SchemeOutcome(
    Scheme scheme,
    long indexCases,
    long infections,
    long averted,
    long notified,
    double precision,
    double recall,
    long quarantined,
    long quarantinedWithoutCause,
    long learnedAbout,
    long falseMatches,
    long[] infectionsByDay) {

  /** The same outcome with {@code averted} set. */
  public SchemeOutcome withAverted(long none) {
    return new SchemeOutcome(
        scheme,
        indexCases,
        infections,
        none - infections,
        notified,
        precision,
        recall,
        quarantined,
        quarantinedWithoutCause,
        learnedAbout,
        falseMatches,
        infectionsByDay);
  }
}

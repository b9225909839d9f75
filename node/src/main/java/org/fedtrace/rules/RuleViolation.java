package org.fedtrace.rules;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A request broke a numbered rule of the spec. The only exception the node's domain code throws for
 * bad input; {@link Statuses} maps it to a gRPC status. Messages are short, stable and hold no key
 * material or other submitted bytes (R20.5).
 */
public final class RuleViolation extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Most characters of a violation description on the wire, rule id included (R20.5). */
  public static final int MAX_DESCRIPTION = 80;

  /** One bad field, as a google.rpc.BadRequest field violation. */
  public record FieldViolation(String field, Rule rule, String description) {
    /** The description sent on the wire: the rule id, then the description, within 80 chars. */
    public String wireDescription() {
      String d = rule.id() + ": " + description;
      return d.length() <= MAX_DESCRIPTION ? d : d.substring(0, MAX_DESCRIPTION);
    }
  }

  private final Rule rule;
  private final transient List<FieldViolation> fieldViolations;
  private final Duration retryDelay;

  /** A violation of {@code rule} with no per-field details (not for INVALID_ARGUMENT rules). */
  public RuleViolation(Rule rule, String message) {
    this(rule, message, List.of());
  }

  /** A violation of {@code rule} whose details name each bad field. */
  public RuleViolation(Rule rule, String message, List<FieldViolation> fieldViolations) {
    this(rule, message, fieldViolations, Duration.ZERO);
  }

  /**
   * A violation that the caller may retry after {@code retryDelay} (a rate limit, R20.7); the
   * status then carries a google.rpc.RetryInfo.
   */
  public RuleViolation(Rule rule, String message, Duration retryDelay) {
    this(rule, message, List.of(), retryDelay);
  }

  private RuleViolation(
      Rule rule, String message, List<FieldViolation> fieldViolations, Duration retryDelay) {
    super(rule.id() + ": " + message);
    this.rule = rule;
    this.fieldViolations = List.copyOf(fieldViolations);
    this.retryDelay = retryDelay;
  }

  /** A violation of one field: the status message and the single detail both name it. */
  public static RuleViolation field(Rule rule, String field, String description) {
    return new RuleViolation(
        rule, message(field, description), List.of(new FieldViolation(field, rule, description)));
  }

  /**
   * The status message of a single field violation: the field path, then the description; the
   * request itself has the empty path and is not named.
   */
  static String message(String field, String description) {
    return field.isEmpty() ? description : field + " " + description;
  }

  /** The first rule broken, which decides the status code. */
  public Rule rule() {
    return rule;
  }

  /** Whether every rule broken is transient (R20.11), so the same request may pass later. */
  public boolean isTransient() {
    return fieldViolations.isEmpty()
        ? rule.isTransient()
        : fieldViolations.stream().allMatch(v -> v.rule().isTransient());
  }

  /** Every bad field found, possibly of several rules with the same status code. */
  public List<FieldViolation> fieldViolations() {
    return fieldViolations;
  }

  /** How long the caller should wait before retrying, when the rule says it may. */
  public Optional<Duration> retryDelay() {
    return retryDelay.isZero() ? Optional.empty() : Optional.of(retryDelay);
  }
}

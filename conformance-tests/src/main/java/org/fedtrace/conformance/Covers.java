package org.fedtrace.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Further rules a case checks besides the one its name carries, when one scenario observes several
 * (the traceability matrix lists the case under each).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
  /** Rule ids, e.g. "R6.14". */
  String[] value();
}

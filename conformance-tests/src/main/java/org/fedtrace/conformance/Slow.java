package org.fedtrace.conformance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a case that moves megabytes or waits for a node's timer; a runner may leave such cases out
 * when it runs the catalogue many times (the fault-switch test).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Slow {}

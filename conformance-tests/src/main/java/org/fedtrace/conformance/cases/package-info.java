/**
 * The cases of the catalogue, grouped by the part of the spec they check; each case names its rule
 * and says in its Javadoc what to check when it fails.
 */
package org.fedtrace.conformance.cases;

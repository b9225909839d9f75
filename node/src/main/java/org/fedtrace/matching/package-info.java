/**
 * The matching engine: diagnosis keys in, exposures out.
 *
 * <p>{@link org.fedtrace.matching.ObservationIndex} holds what devices observed (tokens in
 * primitive arrays behind a cache-sized prefilter); {@link org.fedtrace.matching.KeyBatch} holds
 * diagnosis keys as compact columns; {@link org.fedtrace.matching.Matcher} derives every RPI of the
 * keys on several threads and finds the observations of them that count under the Exposure
 * Notification rules; {@link org.fedtrace.matching.RiskModel} scores each {@link
 * org.fedtrace.matching.Exposure} and decides whether it is notified.
 *
 * <p>The same engine serves both node modes: in operator-assisted mode the node matches incoming
 * batches against the observations its opted-in subscribers deposited; in device mode a device (or
 * the simulator, on its behalf) matches the published keys against its own observations.
 */
package org.fedtrace.matching;

/**
 * Operator-assisted matching (spec §15): the observations subscribers deposited, held in the store
 * and in a matching index, and the follower of the store's batches that finds and keeps their
 * exposures.
 */
package org.fedtrace.node.operator;

package org.fedtrace.sim;

/**
 * Counters of one simulated day (the drain after the last day counts as one more day).
 *
 * @param contacts contacts that happened
 * @param observations RPI observations recorded by phones
 * @param infections by home country index, new infections
 * @param uploads uploads made
 * @param keysExchanged keys in batches that arrived at a node from another origin
 * @param exchangeNanos wall time spent in exchange and in fetching received batches
 * @param rpisMatched RPIs derived and looked up by the matcher (a key's rolling period, per country
 *     that matched it)
 * @param matchNanos wall time spent matching
 */
public record DaySample(
    long contacts,
    long observations,
    int[] infections,
    int uploads,
    long keysExchanged,
    long exchangeNanos,
    long rpisMatched,
    long matchNanos) {}

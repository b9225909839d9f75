package org.fedtrace.sim.report;

/**
 * [sharing] What consent at upload and the traveller flag did (spec §25, issue 14 item 6); every
 * figure's definition is in {@link Definitions}. Null in the report of the central scheme.
 *
 * @param uploads [uploads] uploads of the run
 * @param declinedUploads [declined_uploads] uploads that declined to federate (domestic-only)
 * @param travellerUploads [traveller_uploads] consenting uploads flagged as a traveller's
 * @param domesticKeys [domestic_keys] keys of the declined uploads
 * @param domesticKeyBytes [domestic_key_bytes] their serialized size
 * @param domesticKeysInBatches [domestic_keys_in_batches] of them, keys found in a published batch
 * @param batchBytesPerNodePerDay [batch_bytes_per_node_per_day] bytes of other origins' batches a
 *     node received, per day
 * @param travellersOnlyBytesPerNodePerDay [travellers_only_bytes_per_node_per_day] the same for
 *     TRAVELLER batches only: what a node that pulls with {@code travellers_only} receives
 * @param filterSavedShare [filter_saved_share] the share of batch bytes the filter saves
 * @param notifiedDomestic [notified_by_federating.domestic] pairs notified in the uploader's
 *     country, by federating uploaders
 * @param notifiedCrossBorder [notified_by_federating.cross_border] the same in another country
 * @param declinedNotifiedDomestic [notified_by_declined.domestic] pairs notified in the uploader's
 *     country, by declined uploaders
 * @param declinedNotifiedCrossBorder [notified_by_declined.cross_border] the same in another
 *     country
 * @param crossBorderLost [cross_border_lost_estimate] cross-border pairs the declined uploads would
 *     have notified had they federated, estimated
 * @param travellersOnlyLost [travellers_only_would_lose] cross-border pairs a {@code
 *     travellers_only} filter would lose
 * @param linkageAdvantage [linkage_advantage] the curious node's linkage advantage from batch
 *     membership and the metadata of {@code tek_linkage_advantage}
 * @param linkageAdvantageVisited [linkage_advantage_with_visited] the same, the visited countries a
 *     linkage feature too
 */
public record Sharing(
    long uploads,
    long declinedUploads,
    long travellerUploads,
    long domesticKeys,
    long domesticKeyBytes,
    long domesticKeysInBatches,
    double batchBytesPerNodePerDay,
    double travellersOnlyBytesPerNodePerDay,
    double filterSavedShare,
    long notifiedDomestic,
    long notifiedCrossBorder,
    long declinedNotifiedDomestic,
    long declinedNotifiedCrossBorder,
    double crossBorderLost,
    long travellersOnlyLost,
    double linkageAdvantage,
    double linkageAdvantageVisited) {}

package org.fedtrace.sim.report;

import java.util.List;
import org.fedtrace.sim.metrics.Accuracy;

/**
 * The measured figures of one run; written as report.json (field names in brackets) and report.md.
 * Every figure's definition is in {@link Definitions}.
 *
 * @param run what was simulated
 * @param throughput [throughput]
 * @param main [accuracy], [latency], [privacy] and [index_cases] of the run's token scheme
 * @param traffic [traffic]
 * @param central [baseline_central] the central scheme on the same population and seed
 * @param truth [ground_truth] counts of what happened
 * @param perDay [per_day] daily series
 * @param efficacy [efficacy] every scheme on the same seed and population, and false matches; null
 *     when {@code baselines.counterfactuals} is false
 * @param downloads [downloads] what phones download from the key exports; null when the nodes wrote
 *     none (operator-assisted matching, {@code --processes}, the central scheme)
 * @param dpStatistics [dp_statistics] the error of the differentially private statistics against ε
 *     (transparency.md §16)
 * @param sharing [sharing] consent at upload, travellers and interest filters (spec §25); null for
 *     the central scheme
 */
public record Report(
    Run run,
    Throughput throughput,
    Scheme main,
    Traffic traffic,
    Scheme central,
    Truth truth,
    PerDay perDay,
    Efficacy efficacy,
    Downloads downloads,
    DpError dpStatistics,
    Sharing sharing) {

  /**
   * What was simulated.
   *
   * @param seed [seed]
   * @param agents [agents]
   * @param days [days]
   * @param countries [countries]
   * @param topology [topology]
   * @param matching [matching]
   * @param tokenScheme [token_scheme]
   * @param startDate [start_date]
   * @param scenarioSource [scenario] the scenario file, or "built-in default"
   */
  public record Run(
      long seed,
      int agents,
      int days,
      List<String> countries,
      String topology,
      String matching,
      String tokenScheme,
      String startDate,
      String scenarioSource) {
    /** Copies the list. */
    public Run {
      countries = List.copyOf(countries);
    }
  }

  /**
   * Throughput (wall-clock; the only figures that differ between runs of one seed).
   *
   * @param rpisMatchedPerSecond [rpis_matched_per_second]
   * @param keysExchangedPerSecond [keys_exchanged_per_second]
   * @param wallSeconds [wall_seconds]
   * @param rpisMatched [rpis_matched]
   * @param keysExchanged [keys_exchanged]
   * @param matchingSeconds [matching_seconds]
   * @param exchangeSeconds [exchange_seconds]
   */
  public record Throughput(
      double rpisMatchedPerSecond,
      double keysExchangedPerSecond,
      double wallSeconds,
      long rpisMatched,
      long keysExchanged,
      double matchingSeconds,
      double exchangeSeconds) {}

  /**
   * Notification latency in simulated hours from the index case's diagnosis.
   *
   * @param crossBorderP50Hours [cross_border_notification_p50_hours]
   * @param crossBorderP99Hours [cross_border_notification_p99_hours]
   * @param crossBorderNotifications [cross_border_notifications] pairs measured
   * @param domesticP50Hours [domestic_notification_p50_hours]
   * @param domesticNotifications [domestic_notifications] pairs measured
   */
  public record Latency(
      double crossBorderP50Hours,
      double crossBorderP99Hours,
      long crossBorderNotifications,
      double domesticP50Hours,
      long domesticNotifications) {}

  /**
   * Federation traffic.
   *
   * @param bytesPerNodePerDay [bytes_per_node_per_day] mean over nodes
   * @param maxBytesPerNodePerDay [max_bytes_per_node_per_day] the busiest node
   * @param byCountry [bytes_per_day_by_country] each node's mean bytes per day, in country order
   */
  public record Traffic(
      double bytesPerNodePerDay, double maxBytesPerNodePerDay, List<Double> byCountry) {
    /** Copies the list. */
    public Traffic {
      byCountry = List.copyOf(byCountry);
    }
  }

  /**
   * Privacy figures.
   *
   * @param nonDiagnosedKeysShared [non_diagnosed_keys_shared]
   * @param uploaderAnonymitySetMin [uploader_anonymity_set_min]
   * @param uploaderAnonymitySetMedian [uploader_anonymity_set_median]
   * @param tekLinkageAdvantage [tek_linkage_advantage]
   * @param tekLinkageSuccess [tek_linkage_success]
   * @param tekLinkageChance [tek_linkage_chance]
   * @param snifferTrackingSuccess [sniffer_tracking_success]
   * @param operatorLearnsExposures [operator_learns_exposures]
   * @param peopleWhoseDataLeftHome [people_whose_data_left_home]
   * @param uploaderPeopleMin [uploader_people_min]
   * @param decoyUploads [decoy_uploads]
   */
  public record Privacy(
      long nonDiagnosedKeysShared,
      int uploaderAnonymitySetMin,
      int uploaderAnonymitySetMedian,
      double tekLinkageAdvantage,
      double tekLinkageSuccess,
      double tekLinkageChance,
      double snifferTrackingSuccess,
      long operatorLearnsExposures,
      long peopleWhoseDataLeftHome,
      int uploaderPeopleMin,
      long decoyUploads) {}

  /**
   * One scheme's accuracy, latency and privacy.
   *
   * @param accuracy [accuracy]
   * @param latency [latency]
   * @param privacy [privacy]
   * @param indexCases [index_cases] people whose diagnosis was reported
   */
  public record Scheme(Accuracy accuracy, Latency latency, Privacy privacy, long indexCases) {}

  /**
   * What happened.
   *
   * @param contacts [contacts]
   * @param crossBorderContacts [cross_border_contacts] contacts between residents of two countries
   * @param contactsPerPersonDay [contacts_per_person_day]
   * @param observations [observations] RPI observations recorded by phones
   * @param initialInfections [initial_infections]
   * @param infections [infections] during the run
   * @param diagnosed [diagnosed] during the run
   * @param uploaders [uploaders]
   * @param keysUploaded [keys_uploaded]
   * @param batchesPublished [batches_published]
   * @param keysPublished [keys_published] padding included
   * @param paddingKeys [padding_keys]
   * @param smallestBatchKeys [smallest_batch_keys]
   * @param falseMatchesOnPadding [false_matches_on_padding] exposures found on padding keys
   */
  public record Truth(
      long contacts,
      long crossBorderContacts,
      double contactsPerPersonDay,
      long observations,
      long initialInfections,
      long infections,
      long diagnosed,
      long uploaders,
      long keysUploaded,
      long batchesPublished,
      long keysPublished,
      long paddingKeys,
      int smallestBatchKeys,
      long falseMatchesOnPadding) {}

  /**
   * Daily series; index {@code days} (one past the last day) is the drain.
   *
   * @param infections [infections] new infections, [day][country]
   * @param notifications [notifications] people first notified, [day][country] (home country)
   * @param rpisMatchedPerSecond [rpis_matched_per_second] by day
   * @param keysExchangedPerSecond [keys_exchanged_per_second] by day
   */
  public record PerDay(
      int[][] infections,
      int[][] notifications,
      double[] rpisMatchedPerSecond,
      double[] keysExchangedPerSecond) {}

  /**
   * Device mode: the key export files phones download from their home node.
   *
   * @param bytesPerPhonePerDay [bytes_per_phone_per_day] mean over app users
   * @param fetchIntervalHours [download_interval_hours] a phone fetches new files this often
   * @param latency [latency] from upload to the key being in a file, and in a batch
   * @param keysNotExported [keys_not_exported] uploaded keys in no file by the end of the drain
   * @param phonesMatch [phones_match] what phones matched: {@code exports} (these files) or {@code
   *     batches} (the batches reaching their home node; {@code matching.device_source})
   */
  public record Downloads(
      double bytesPerPhonePerDay,
      int fetchIntervalHours,
      Latency latency,
      long keysNotExported,
      String phonesMatch) {
    /**
     * Simulated hours from an upload to its keys' first publication, nearest rank over the uploaded
     * keys that were exported.
     *
     * @param exportP50Hours [export_p50_hours] to the first export file listing the key
     * @param exportP99Hours [export_p99_hours]
     * @param batchP50Hours [batch_p50_hours] to the first federation batch holding the key
     * @param batchP99Hours [batch_p99_hours]
     * @param keys [keys] keys measured
     * @param keysDelayed [keys_delayed] keys first exported after the hour their batch arrived
     * @param addedMaxHours [added_max_hours] the largest such delay, 0 when none
     */
    public record Latency(
        double exportP50Hours,
        double exportP99Hours,
        double batchP50Hours,
        double batchP99Hours,
        long keys,
        long keysDelayed,
        long addedMaxHours) {}
  }
}

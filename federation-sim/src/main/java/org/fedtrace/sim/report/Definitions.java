package org.fedtrace.sim.report;

import java.util.List;

/**
 * The definition of every reported figure, as written into report.md and federation-sim/README.md
 * (a test checks that the README carries each one verbatim).
 */
public final class Definitions {
  /** A figure's name (its report.json field) and definition (Markdown). */
  public record Definition(String name, String text) {}

  /** The definitions, in report order. */
  public static final List<Definition> ALL =
      List.of(
          new Definition(
              "index case",
              "federated: a person who uploaded diagnosis keys during the run; their report"
                  + " covers the days of the uploaded keys (at most `retention_days`, not before"
                  + " day 0). central: a diagnosed person who reports (`report_share`, app or"
                  + " not), at the same hour an app user would upload; their report covers the"
                  + " `retention_days` days up to the report day."),
          new Definition(
              "true_exposures",
              "people who, on a day covered by an index case's report, spent at least"
                  + " `close_minutes` minutes in close contact (true attenuation at most"
                  + " `close_attenuation_db`) with that index case, summed over the pair's"
                  + " contacts that day. federated: app users only (others cannot be notified);"
                  + " central: everybody."),
          new Definition(
              "notified",
              "people notified at least once by the end of the run (the drain included)."
                  + " federated: a diagnosis key that reached the person's home node matched"
                  + " their phone's observations with a risk score of at least"
                  + " `notify_min_risk_score`. central: the person was at the same place in the"
                  + " same hour as an index case on a covered day."),
          new Definition("true_positives", "notified people who are in `true_exposures`."),
          new Definition(
              "precision", "`true_positives / notified`; null when nobody was notified."),
          new Definition(
              "recall",
              "`true_positives / true_exposures`; null when there are no true exposures."),
          new Definition(
              "cross_border_notification_p50_hours, cross_border_notification_p99_hours",
              "for every pair of a notified person and an index case whose keys notified them,"
                  + " the simulated hours from the index case's diagnosis to the person's first"
                  + " notification because of that index case; nearest-rank 50th and 99th"
                  + " percentiles over the pairs whose two people live in different countries"
                  + " (`domestic_notification_p50_hours`: the same country). Device mode: the"
                  + " phone's first fetch after an export file of its home node listed the key"
                  + " (phones fetch every `download_interval_hours`, each with its own phase), or"
                  + " with `device_source: batches` its first poll after the batch reached the"
                  + " node (every `device_poll_hours`); operator mode: the hour the"
                  + " node found the exposure (its `matched_unix_seconds`), which is the hour the"
                  + " batch reached the node; central: the report hour. Hour resolution."),
          new Definition(
              "bytes_per_node_per_day",
              "bytes a node sent plus bytes it received in federation exchange (every hop of"
                  + " every batch counts at both ends) over the whole run including the drain,"
                  + " divided by the simulated days, averaged over the nodes"
                  + " (`max_bytes_per_node_per_day`: the busiest node). Nodes count the serialized"
                  + " size of every batch they receive and deliver; TLS handshakes, gRPC and TLS"
                  + " framing are not counted."),
          new Definition(
              "downloads.bytes_per_phone_per_day",
              "device mode, in-process nodes: after every simulated hour each node publishes the"
                  + " key export windows that ended (docs/export.md; the node's default policy:"
                  + " two-hour embargo, at least 1,000 keys a file). Every app user's phone fetches"
                  + " the files new in its home node's `ALL/hourly/index.txt` every"
                  + " `download_interval_hours`, with a phase of its own; the figure is the bytes"
                  + " of the zip files it fetched during the simulated days (the drain"
                  + " excluded), divided by the days, averaged over app users. Index files are not"
                  + " counted, nor HTTP or TLS overhead. `phones_match`: with `exports` (the"
                  + " default `matching.device_source`) phones match the keys of these files,"
                  + " padding included, and a notification comes at the phone's first fetch after"
                  + " the file appeared; with `batches` they match the batches that reach their"
                  + " home node at their next `device_poll_hours` poll."),
          new Definition(
              "downloads.latency",
              "for every uploaded key that appeared in an export file: simulated hours from its"
                  + " upload to the first hour a file of its home node's `ALL/hourly` series listed"
                  + " it (`export_p50_hours`, `export_p99_hours`), and to the first hour a"
                  + " federation batch holding it reached a node (`batch_p50_hours`,"
                  + " `batch_p99_hours`); nearest rank, hour resolution. The difference is the"
                  + " delay the export embargo adds: `keys_delayed` counts the keys first exported"
                  + " after the hour their batch arrived, `added_max_hours` the largest such delay."
                  + " `keys_not_exported`: uploaded keys in no file by the end of the drain."),
          new Definition(
              "rpis_matched_per_second",
              "RPIs matched divided by the wall-clock seconds spent matching. RPIs matched: for"
                  + " every country and every diagnosis key its phones matched (device mode: the"
                  + " keys of the export files new at the home node, or with `device_source:"
                  + " batches` of the batches that arrived at it; own and foreign, padding"
                  + " included), the key's `rolling_period`, the RPIs derived from it and looked up"
                  + " among the country's observations: what the phones do. The simulator itself"
                  + " derives and looks up only the RPIs of keys whose owner a phone of the country"
                  + " heard (`PhoneMatching`: the same exposures), so in device mode the rate says"
                  + " how fast the simulator stands in for the phones. Operator mode: the"
                  + " seconds the nodes spent matching, among the observations deposited; the"
                  + " RPIs are counted the same way, although a node that holds no deposit yet"
                  + " derives none, so early in a run the rate is an upper bound."),
          new Definition(
              "keys_exchanged_per_second",
              "keys exchanged divided by the wall-clock seconds spent in federation exchange"
                  + " (publishing, propagating and fetching received batches). Keys exchanged:"
                  + " for every node, the keys (padding included) in batches that arrived from"
                  + " another origin."),
          new Definition(
              "wall_seconds",
              "wall-clock seconds of the run from setup to the end of measurement, report"
                  + " writing excluded. The only figures that differ between runs of one seed are"
                  + " these timings and the rates computed from them."),
          new Definition(
              "non_diagnosed_keys_shared",
              "federated: distinct keys in published batches (which reach every other node)"
                  + " whose owner was never diagnosed during the run; padding keys belong to"
                  + " nobody and do not count; 0 when the federation has one node. central: the"
                  + " network records (one per visit) of people never diagnosed during the run"
                  + " that operators shipped to the tracker."),
          new Definition(
              "uploader_anonymity_set_min",
              "for each published batch with at least one real key, the number of uploads in it"
                  + " that an observer of the batches cannot tell apart: the distinct people whose"
                  + " keys it carries (padding adds nobody) plus the decoy uploads its node added"
                  + " (spec R23.1: `decoy_uploads` minus the people, if positive); the smallest"
                  + " over all batches (`uploader_anonymity_set_median`: the lower median). It"
                  + " counts indistinguishable uploads, not people: a decoy is random keys shaped"
                  + " like a real upload. 1 means a batch carried one person's keys only, so"
                  + " whoever learns by other means that this person uploaded in that window can"
                  + " attribute all of its real keys to them. central: each report names one"
                  + " stable pseudonym, so 1."),
          new Definition(
              "uploader_people_min",
              "the smallest number of distinct real people whose keys a published batch with at"
                  + " least one real key carries. Decoys do not count: a reader of the"
                  + " transparency log counts the real uploads behind each batch, and a Bluetooth"
                  + " receiver knows that a key it heard is real. central: 1."),
          new Definition(
              "decoy_uploads",
              "decoy uploads the nodes added to their batches over the run (spec R23.1:"
                  + " each batch with fewer real uploads than the scenario's `decoy_uploads` is"
                  + " topped up to it); their keys are random, never broadcast, and count with"
                  + " the padding in `padding_keys`. central: 0."),
          new Definition(
              "tek_linkage_advantage",
              "a curious node receives every batch. For every real key of a person for day d"
                  + " whose key for day d-1 was published by the same origin, it guesses that"
                  + " predecessor uniformly among the keys of day d-1 in the same batch whose"
                  + " metadata is consistent (same report type, days since onset one less; with"
                  + " `coarsen_metadata`, a level the coarsening table allows for the day before):"
                  + " success 1/|candidates| if the true predecessor is among them, else 0. Chance:"
                  + " 1/(number of keys of day d-1 the origin published in all batches). The"
                  + " figure is mean success minus mean chance over those keys"
                  + " (`tek_linkage_success`, `tek_linkage_chance`: the two means); 0 when no key"
                  + " is linkable. central: units are reports, and a stable pseudonym links every"
                  + " day, so success is 1."),
          new Definition(
              "sniffer_tracking_success",
              "an adversary has Bluetooth receivers at `sniffer_place_share` of the places"
                  + " (chosen by the seed). Once an index case's keys are published it derives"
                  + " their RPIs and finds every visit a receiver heard. The figure is the share"
                  + " of index cases (with at least one visit on their covered days) of whom the"
                  + " receivers heard at least `sniffer_reconstruct_share` of those visits; an"
                  + " upper bound that assumes the adversary links the person's daily keys."
                  + " central: the tracker holds every visit of everybody, so every place counts"
                  + " as observed."),
          new Definition(
              "operator_learns_exposures",
              "people of whom an operator or the tracker learns that they were exposed. device"
                  + " mode: 0, phones match locally. operator mode: everybody for whom their home"
                  + " node holds at least one exposure, notified or not, as the nodes' GetExposures"
                  + " answers show. central: everybody the tracker notified."),
          new Definition(
              "people_whose_data_left_home",
              "federated: uploaders who federated, when the federation has at least two nodes"
                  + " (their keys reach every node; a declined upload's keys stay at its home"
                  + " node). central: everybody with at least one network record,"
                  + " since operators ship all of them."),
          new Definition(
              "efficacy.schemes",
              "every scheme runs on the same seed, population and potential contacts: `none` (no"
                  + " tracing; diagnosed people isolate), `manual` (interviews), `apps_national`"
                  + " and `apps_federated` (a model of the apps without nodes, keys kept in their"
                  + " country or sent everywhere), `fedtrace` (this run's real nodes), `central`"
                  + " (co-location from every subscriber's visits), `camera` (face recognition at"
                  + " `camera_place_share` of places). In every world notified people quarantine"
                  + " and get tested as the `behaviour` section says."),
          new Definition(
              "efficacy.index_cases",
              "people a scheme traced from: manual: every diagnosed person; apps and fedtrace:"
                  + " app users who uploaded; central and camera: diagnosed people who report"
                  + " (`report_share`, app or not)."),
          new Definition(
              "efficacy.infections",
              "people infected during the simulated days in that scheme's world, the initial"
                  + " cases not counted."),
          new Definition(
              "efficacy.infections_averted",
              "the infections of `none` minus the scheme's (negative: more infections)."),
          new Definition(
              "efficacy.notified", "people notified at least once before the end of the drain."),
          new Definition(
              "efficacy.precision",
              "notified people who were already infected when first notified, over notified"
                  + " people; null when nobody was notified."),
          new Definition(
              "efficacy.recall",
              "people infected by one of the scheme's index cases who were notified (at any"
                  + " time), over the people infected by one of its index cases; null when there"
                  + " are none."),
          new Definition(
              "efficacy.quarantined",
              "people who began at least one quarantine (`quarantine_compliance` of the"
                  + " notified, drawn per notification); `quarantined_without_cause`: those of them"
                  + " who were not infected when a quarantine began."),
          new Definition(
              "efficacy.people_learned_about",
              "people the scheme's operator learns something about: manual: index cases and the"
                  + " contacts they named; apps and fedtrace: uploaders, whose daily keys are"
                  + " published; central: everybody with a visit; camera: everybody a camera"
                  + " recognised at least once; none: 0."),
          new Definition(
              "efficacy.false_matches",
              "camera: faces the search for an index case wrongly declared theirs (each a"
                  + " Poisson number with mean faces seen on the covered days times"
                  + " `camera_false_match_rate`), counted when the face's owner was out. `camera_"
                  + "false_matches_sweep`: for a search among `watched_people` faces,"
                  + " `expected_per_day` = camera searches per day x watched x rate, and"
                  + " `measured_per_day` the draws over the run's searches divided by the days."
                  + " `fedtrace_expected_false_matches`: RPIs matched x observations x 2^-128, an"
                  + " upper bound for accidental equality of 128-bit tokens over the run."),
          new Definition(
              "sharing.declined_uploads",
              "uploads whose person declined to federate (a seeded draw per person with"
                  + " probability `decline_federation_share`), sent with sharing DOMESTIC_ONLY;"
                  + " `uploads`: all uploads; `traveller_uploads`: consenting uploads sent with"
                  + " `traveller` (with `flag_travellers`, those whose keys list a visited"
                  + " country)."),
          new Definition(
              "sharing.domestic_keys",
              "keys of the declined uploads, which stayed at their home node"
                  + " (`domestic_key_bytes`: their serialized size, bytes that crossed no"
                  + " border); `domestic_keys_in_batches`: how many of them are in a batch any"
                  + " node published (0 unless a node breaks R25.4)."),
          new Definition(
              "sharing.batch_bytes_per_node_per_day",
              "serialized bytes of the batches of other origins that reached a node (without"
                  + " the signing certificate, whose size varies with the run's keys), over the"
                  + " whole run including the drain, divided by the simulated days, averaged over"
                  + " the nodes. `travellers_only_bytes_per_node_per_day`: the same for TRAVELLER"
                  + " batches only, what a node pulling with the interest filter"
                  + " `travellers_only` (spec §25.4) would receive; `filter_saved_share`: 1 minus"
                  + " their ratio. Computed from the batches that arrived: the nodes push, and the"
                  + " reference node has no setting to pull with a filter."),
          new Definition(
              "sharing.notified_by_federating",
              "pairs of a notified person and an index case whose keys notified them (as for"
                  + " the latency figures), by whether the index case federated"
                  + " (`notified_by_federating`) or declined (`notified_by_declined`), and by"
                  + " whether the two live in the same country (`domestic`) or not"
                  + " (`cross_border`)."),
          new Definition(
              "sharing.cross_border_lost_estimate",
              "`declined_uploads x notified_by_federating.cross_border / (uploads -"
                  + " declined_uploads)`: the cross-border pairs the declined uploads would have"
                  + " notified at the federating uploads' rate. `travellers_only_would_lose`: the"
                  + " cross-border pairs whose index case federated without the traveller flag,"
                  + " which a `travellers_only` filter at the notified person's node would have"
                  + " left out."),
          new Definition(
              "sharing.linkage_advantage_with_visited",
              "`tek_linkage_advantage` when the curious node also looks at the visited"
                  + " countries: among the candidates it would have without them, it guesses"
                  + " uniformly among those that list the same set of visited countries as the key"
                  + " (the empty set included), or among all of them when none does; chance as"
                  + " for `tek_linkage_advantage`. `linkage_advantage`: `tek_linkage_advantage`"
                  + " itself, without that feature."));

  private Definitions() {}
}

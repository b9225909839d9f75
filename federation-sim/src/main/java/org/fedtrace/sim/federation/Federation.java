package org.fedtrace.sim.federation;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.Observation;

/**
 * The federation of one simulation run: one node per country, seen from the simulator.
 *
 * <p>The simulator talks to the federation only through this interface, and only with what a real
 * deployment would carry: diagnosis keys and time, and in operator-assisted matching what an
 * operator's backend sends its own node (device keys and observations). Keys reach other countries
 * only by being published in batches and exchanged between nodes; matching works on what {@link
 * #receivedSince} returns, never on the simulator's own copies. Who a key belongs to is the
 * simulator's ground truth and never comes back from here.
 *
 * <p>All methods are called from one thread, in simulated-time order.
 */
public interface Federation extends AutoCloseable {
  /**
   * A diagnosed person's upload at their home node: in a real federation this is the node's Upload
   * RPC with a health-authority authorization covering exactly {@code keys}.
   *
   * @param country the home node's country
   * @param keys the person's diagnosis keys with their metadata
   * @param uploaderId the simulator's id of the person, for simulator-side bookkeeping only (for
   *     example one authorization per person, or error messages): an implementation MUST NOT send
   *     it to a node or let it influence any byte on the wire
   * @param simTime the simulated time of the upload
   * @throws IllegalArgumentException if the node refuses the upload
   */
  default void upload(String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime) {
    upload(country, keys, uploaderId, simTime, Consent.FEDERATE);
  }

  /**
   * As {@link #upload(String, List, int, Instant)}, with what the person chose (spec §25.1): the
   * node keeps domestic-only keys out of every batch (R25.4) and puts a traveller's keys in
   * TRAVELLER batches (R25.5).
   */
  void upload(
      String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime, Consent consent);

  /** Where an uploader lets their keys go (spec §25.1), as the upload's sharing and traveller. */
  enum Consent {
    /** Sharing DOMESTIC_ONLY: the keys stay at the home node, which exports them (R25.14). */
    DOMESTIC_ONLY,
    /** Sharing FEDERATE, not a traveller: FEDERATE batches. */
    FEDERATE,
    /** Sharing FEDERATE and traveller (the keys list visited countries): TRAVELLER batches. */
    TRAVELLER
  }

  /**
   * Lets every node publish the batches its batching policy says are due at {@code simTime} and
   * propagates them along the topology; returns when every node holds every published batch.
   */
  void exchange(Instant simTime);

  /**
   * The batches that arrived at {@code country}'s node (its own included) after {@code marker}, in
   * arrival order, and the marker to pass next time. Start with marker 0.
   */
  Received receivedSince(String country, long marker);

  /**
   * Operator-assisted matching (spec §15; the federation was created with {@link
   * FederationSpec#operatorMatching}): each deposit through the DepositObservations RPC of its
   * device's home node, called as that country's operator; returns when every one is acknowledged.
   *
   * @param simTime the simulated time of the deposits
   * @throws IllegalStateException if a node refuses a deposit
   */
  void deposit(List<Deposit> deposits, Instant simTime);

  /**
   * Operator-assisted matching: the exposures each device's home node holds for it (the
   * GetExposures RPC, called as that country's operator), in the order of {@code devices}.
   *
   * @param simTime the simulated time of the calls
   * @throws IllegalStateException if a node refuses a call
   */
  List<List<Exposure>> exposures(List<Device> devices, Instant simTime);

  /**
   * Operator-assisted matching: lets every node match the batches it stores and has not matched yet
   * against the observations deposited so far; returns when all have done so. Nodes in device mode
   * match nothing.
   */
  void matchStored(Instant simTime);

  /**
   * Device mode: lets every node publish the key export files (spec §24) of the windows that ended
   * by {@code simTime}, and returns each country's export directory, where phones read {@code
   * ALL/hourly/index.txt} and the files it lists (docs/export.md). A federation that writes no
   * exports returns no directories.
   */
  default Map<String, Path> export(Instant simTime) {
    return Map.of();
  }

  /** Bytes {@code country}'s node has sent plus received in federation exchange so far. */
  long trafficBytes(String country);

  /**
   * Every batch published so far by any node, in publication order: the batch membership (batch id,
   * origin and keys, padding included) that the privacy metrics are computed from.
   */
  List<DiagnosisKeyBatch> published();

  /** Stops the nodes and releases their resources. */
  @Override
  void close();

  /**
   * A device known to its home node by its device key (spec R15.26).
   *
   * @param country the home node's country
   * @param key the 16 random bytes the device chose
   */
  record Device(String country, ByteString key) {}

  /**
   * One DepositObservations call.
   *
   * @param observations 1..10,000 observations, at most one per RPI and interval
   */
  record Deposit(Device device, List<Observation> observations) {
    /** Copies the list. */
    public Deposit {
      observations = List.copyOf(observations);
    }
  }

  /**
   * Batches that arrived at a node.
   *
   * @param batches the batches, in arrival order
   * @param nextMarker the marker to pass to the next {@link #receivedSince} call
   */
  record Received(List<DiagnosisKeyBatch> batches, long nextMarker) {
    /** Copies the list. */
    public Received {
      batches = List.copyOf(batches);
    }
  }
}

package org.fedtrace.sim.federation;

import com.google.protobuf.ByteString;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.proto.v1.Exposure;
import org.fedtrace.proto.v1.ReportType;
import org.fedtrace.sim.SimClock;

/**
 * A federation in one process without network, store or signatures: the development stand-in for
 * the real nodes and the federation of the simulator's unit tests. It follows the node's policies
 * where they shape the measurements: the upload checks that matter to a simulation (one upload per
 * person, key lengths, rolling periods, no future keys, retention), batching by size and age,
 * padding of every batch to the minimum with random keys whose metadata is copied from the batch's
 * real keys, keys in canonical order (sorted on their bytes, so position tells nothing), and
 * forwarding along the topology. Traffic is the serialized size of every batch a node sends plus
 * every batch it receives (a 64-byte signature is included; certificates, gRPC and TLS framing are
 * not). Its randomness (padding, batch ids) comes from the spec's seed, so runs repeat exactly.
 */
public final class InMemoryFederation implements Federation {
  private static final Comparator<DiagnosisKey> CANONICAL =
      Comparator.comparing(
          DiagnosisKey::getKeyData, ByteString.unsignedLexicographicalComparator());
  private static final int SIGNATURE_BYTES = 64;

  private final FederationSpec spec;
  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<DiagnosisKeyBatch> published = new ArrayList<>();
  private final Set<Integer> uploaders = new HashSet<>();
  private final Random random;

  /** Starts the nodes of {@code spec}; the clock is not needed, time comes with each call. */
  public InMemoryFederation(FederationSpec spec, SimClock clock) {
    this.spec = spec;
    this.random = new Random(spec.seed() ^ 0x5eed_fed0L);
    for (String c : spec.countries()) {
      nodes.put(c, new Node(c));
    }
  }

  @Override
  public void upload(
      String country, List<DiagnosisKey> keys, int uploaderId, Instant simTime, Consent consent) {
    Node node = node(country);
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("an upload needs at least one key");
    }
    long now = simTime.getEpochSecond();
    for (int i = 0; i < keys.size(); i++) {
      check(keys.get(i), now / 600, "keys[" + i + "]");
    }
    if (!uploaders.add(uploaderId)) {
      throw new IllegalArgumentException(
          "person " + uploaderId + " uploaded twice; an upload authorization is single use");
    }
    if (consent == Consent.DOMESTIC_ONLY) {
      return; // never batched (R25.4); the stand-in writes no exports, so they notify nobody
    }
    List<Pending> into = consent == Consent.TRAVELLER ? node.travellers : node.pending;
    for (DiagnosisKey k : keys) {
      into.add(new Pending(k, now, uploaderId));
    }
  }

  private void check(DiagnosisKey k, long nowEnin, String at) {
    long start = Integer.toUnsignedLong(k.getRollingStartIntervalNumber());
    int period = k.getRollingPeriod();
    if (k.getKeyData().size() != 16) {
      throw new IllegalArgumentException(at + ".key_data: must be 16 bytes");
    }
    if (period < 1 || period > 144) {
      throw new IllegalArgumentException(at + ".rolling_period: must be in 1..144, got " + period);
    }
    if (start > nowEnin) {
      throw new IllegalArgumentException(at + ".rolling_start_interval_number: in the future");
    }
    if (start + period < nowEnin - spec.retentionDays() * 144L) {
      throw new IllegalArgumentException(at + ".rolling_start_interval_number: past retention");
    }
    if (k.getReportType() == ReportType.REPORT_TYPE_UNSPECIFIED
        || k.getReportType() == ReportType.UNRECOGNIZED) {
      throw new IllegalArgumentException(at + ".report_type: must be a known report type");
    }
  }

  @Override
  public void exchange(Instant simTime) {
    long now = simTime.getEpochSecond();
    for (Node origin : nodes.values()) {
      publishDue(origin, origin.pending, now);
      publishDue(origin, origin.travellers, now); // scopes in separate batches (R25.5)
    }
  }

  private void publishDue(Node origin, List<Pending> pending, long now) {
    while (!pending.isEmpty()) {
      int n = Math.min(spec.batchMaxKeys(), pending.size());
      boolean full = n == spec.batchMaxKeys();
      long waited = now - pending.get(0).acceptedSeconds;
      boolean mixed =
          waited >= spec.batchMaxAgeSeconds()
              && pending.subList(0, n).stream().mapToInt(Pending::uploaderId).distinct().count()
                  >= spec.batchMinUploads();
      boolean held = waited >= spec.batchMaxHoldSeconds();
      // the node's policy (spec R21.14)
      if (!full && !mixed && !held) {
        break;
      }
      List<Pending> due = pending.subList(0, n);
      DiagnosisKeyBatch batch = batch(origin, due, now, pending == origin.travellers);
      due.clear();
      published.add(batch);
      route(origin, batch);
    }
  }

  private DiagnosisKeyBatch batch(Node origin, List<Pending> due, long now, boolean travellers) {
    List<DiagnosisKey> keys = new ArrayList<>(Math.max(due.size(), spec.paddingMinKeys()));
    due.forEach(p -> keys.add(p.key));
    int real = keys.size();
    // as the node does: every real key lends its metadata in turn, in a fresh order each round
    List<Integer> order = new ArrayList<>();
    int next = real;
    while (keys.size() < spec.paddingMinKeys()) {
      if (next == real) {
        order.clear();
        for (int i = 0; i < real; i++) {
          order.add(i);
        }
        Collections.shuffle(order, random);
        next = 0;
      }
      DiagnosisKey template = keys.get(order.get(next++));
      keys.add(template.toBuilder().setKeyData(ByteString.copyFrom(bytes(16))).build());
    }
    keys.sort(CANONICAL);
    origin.sequence++;
    DiagnosisKeyBatch.Builder b = DiagnosisKeyBatch.newBuilder();
    if (travellers) { // as the node: TRAVELLER batches in format 2, FEDERATE ones in format 1
      b.setFormatVersion(2).setScope(org.fedtrace.proto.v1.BatchScope.BATCH_SCOPE_TRAVELLER);
    } else {
      b.setFormatVersion(1);
    }
    return b.setBatchId(ByteString.copyFrom(bytes(16)))
        .setOrigin(origin.country)
        .setSequence(origin.sequence)
        .setCreatedUnixSeconds(now)
        .addAllKeys(keys)
        .setSignature(ByteString.copyFrom(bytes(SIGNATURE_BYTES)))
        .build();
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  /**
   * Floods {@code batch} from its origin along {@link FederationSpec#neighbours}, as the real
   * nodes' pushes and forwarding do: each node gets it once, from the first neighbour that has it.
   */
  private void route(Node origin, DiagnosisKeyBatch batch) {
    origin.held.add(batch);
    Set<Node> reached = new HashSet<>(List.of(origin));
    ArrayDeque<Node> next = new ArrayDeque<>(List.of(origin));
    while (!next.isEmpty()) {
      Node from = next.poll();
      for (String c : spec.neighbours(from.country)) {
        Node to = node(c);
        if (reached.add(to)) {
          hop(from, to, batch);
          next.add(to);
        }
      }
    }
  }

  private static void hop(Node from, Node to, DiagnosisKeyBatch batch) {
    long size = batch.getSerializedSize();
    from.bytes += size;
    to.bytes += size;
    to.held.add(batch);
  }

  @Override
  public Received receivedSince(String country, long marker) {
    List<DiagnosisKeyBatch> held = node(country).held;
    if (marker < 0 || marker > held.size()) {
      throw new IllegalArgumentException("marker " + marker + " is not one this node gave out");
    }
    return new Received(held.subList((int) marker, held.size()), held.size());
  }

  @Override
  public long trafficBytes(String country) {
    return node(country).bytes;
  }

  @Override
  public List<DiagnosisKeyBatch> published() {
    return List.copyOf(published);
  }

  @Override
  public void close() {
    nodes.clear();
  }

  /**
   * Not offered: the stand-in has no operator-assisted matching.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public void deposit(List<Deposit> deposits, Instant simTime) {
    throw noOperatorMatching();
  }

  /**
   * Not offered: the stand-in has no operator-assisted matching.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public List<List<Exposure>> exposures(List<Device> devices, Instant simTime) {
    throw noOperatorMatching();
  }

  /** Nothing to do: the stand-in's nodes never match (device mode). */
  @Override
  public void matchStored(Instant simTime) {}

  private static UnsupportedOperationException noOperatorMatching() {
    return new UnsupportedOperationException(
        "the in-memory federation has no operator-assisted matching; use NodeFederation");
  }

  private Node node(String country) {
    Node n = nodes.get(country);
    if (n == null) {
      throw new IllegalArgumentException("no node for country " + country);
    }
    return n;
  }

  private record Pending(DiagnosisKey key, long acceptedSeconds, int uploaderId) {}

  private static final class Node {
    final String country;
    final List<Pending> pending = new ArrayList<>();
    final List<Pending> travellers = new ArrayList<>();
    final List<DiagnosisKeyBatch> held = new ArrayList<>();
    long sequence;
    long bytes;

    Node(String country) {
      this.country = country;
    }
  }
}

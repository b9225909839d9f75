package org.fedtrace.sim;

import com.google.protobuf.ByteString;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.fedtrace.proto.v1.BatchScope;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;
import org.fedtrace.sim.federation.Federation;
import org.fedtrace.sim.population.Draws;
import org.fedtrace.sim.scenario.Scenario;

/**
 * Consent at upload (spec §25.1) in a run: who declines to federate ({@code
 * privacy.decline_federation_share}, a seeded draw per person, so a person chooses the same in
 * every run of a seed) and who is flagged as a traveller ({@code privacy.flag_travellers}: a
 * consenting uploader whose keys list a visited country); and, per node, the bytes of other
 * origins' batches it received, all of them and the TRAVELLER ones, from which the report computes
 * what a {@code travellers_only} interest filter (§25.4) would save.
 */
public final class Consents {
  private static final long PURPOSE = 0x5ca1ab1e_c0feL;

  private final long seed;
  private final double declineShare;
  private final boolean flagTravellers;
  private final BitSet declined = new BitSet();
  private final BitSet travellers = new BitSet();
  private final Set<ByteString> domesticKeys = new HashSet<>();
  private long domesticKeyBytes;
  private final long[] receivedBytes;
  private final long[] travellerBytes;

  /** The consents of a run of {@code scenario} over {@code countries} nodes. */
  public Consents(Scenario scenario, int countries) {
    this.seed = scenario.seed();
    this.declineShare = scenario.privacy().declineFederationShare();
    this.flagTravellers = scenario.privacy().flagTravellers();
    this.receivedBytes = new long[countries];
    this.travellerBytes = new long[countries];
  }

  /** What {@code agent}, uploading {@code keys}, chooses; recorded. */
  public Federation.Consent choose(int agent, Collection<DiagnosisKey> keys) {
    if (Draws.uniform(seed, PURPOSE, agent, 0) < declineShare) {
      declined.set(agent);
      for (DiagnosisKey k : keys) {
        domesticKeys.add(k.getKeyData());
        domesticKeyBytes += k.getSerializedSize();
      }
      return Federation.Consent.DOMESTIC_ONLY;
    }
    if (flagTravellers && keys.stream().anyMatch(k -> k.getVisitedCountriesCount() > 0)) {
      travellers.set(agent);
      return Federation.Consent.TRAVELLER;
    }
    return Federation.Consent.FEDERATE;
  }

  /** Node {@code country} received {@code batch} of another origin. */
  public void received(int country, DiagnosisKeyBatch batch) {
    // the signing certificate, the same on each batch of an origin, varies in size with the keys
    // the run's PKI draws, so it is left out: the figures then repeat for a seed
    int size = batch.toBuilder().clearSignerCertificate().build().getSerializedSize();
    receivedBytes[country] += size;
    if (batch.getScope() == BatchScope.BATCH_SCOPE_TRAVELLER) {
      travellerBytes[country] += size;
    }
  }

  /** Whether {@code agent} declined to federate. */
  public boolean declined(int agent) {
    return declined.get(agent);
  }

  /** Whether {@code agent} uploaded as a traveller. */
  public boolean traveller(int agent) {
    return travellers.get(agent);
  }

  /** Uploaders who declined. */
  public int declinedCount() {
    return declined.cardinality();
  }

  /** Uploaders flagged as travellers. */
  public int travellerCount() {
    return travellers.cardinality();
  }

  /** The key data of every declined upload. */
  public Set<ByteString> domesticKeys() {
    return Set.copyOf(domesticKeys);
  }

  /** The serialized size of the declined uploads' keys. */
  public long domesticKeyBytes() {
    return domesticKeyBytes;
  }

  /** Bytes of other origins' batches received, over all nodes. */
  public long receivedBytes() {
    return java.util.Arrays.stream(receivedBytes).sum();
  }

  /** Bytes of other origins' TRAVELLER batches received, over all nodes. */
  public long travellerBytes() {
    return java.util.Arrays.stream(travellerBytes).sum();
  }
}

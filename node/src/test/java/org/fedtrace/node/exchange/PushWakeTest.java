package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.fedtrace.pki.OperatorIdentity;
import org.fedtrace.pki.SharingTerms;
import org.fedtrace.proto.v1.BatchScope;
import org.junit.jupiter.api.Test;

/**
 * Which stored batches wake a push task: only those it may send its peer ({@link
 * Deliveries#mayPush}), as the notifier filters them ({@link BatchNotifier}); every listener on a
 * change of the node's state.
 */
class PushWakeTest {
  private static final OperatorIdentity BE = new OperatorIdentity("BE", "op-be");
  private static final OperatorIdentity DE = new OperatorIdentity("DE", "op-de");
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "op-fr");
  private static final OperatorIdentity CH = new OperatorIdentity("CH", "op-ch");
  private static final List<OperatorIdentity> MEMBERS = List.of(BE, DE, FR, CH);
  private static final BatchScope FEDERATE = BatchScope.BATCH_SCOPE_FEDERATE;
  private static final BatchScope TRAVELLER = BatchScope.BATCH_SCOPE_TRAVELLER;

  /** BE's node: {@code forward} as given, all-to-all sharing unless {@code sharing} says less. */
  private static Deliveries be(boolean forward, SharingTerms sharing) {
    return new Deliveries(null, forward, 14, MEMBERS, BE, sharing);
  }

  private static BatchNotifier.Stored stored(String origin, OperatorIdentity from) {
    return new BatchNotifier.Stored(origin, FEDERATE, from);
  }

  @Test
  void ownBatchGoesToEveryOtherMember() {
    Deliveries d = be(false, SharingTerms.ALL);
    for (OperatorIdentity peer : List.of(DE, FR, CH)) {
      assertTrue(d.mayPush(peer, stored("BE", null)), peer.toString());
      assertTrue(d.mayPush(peer, new BatchNotifier.Stored("BE", TRAVELLER, null)));
    }
  }

  @Test
  void withoutForwardingAReceivedBatchWakesNoPush() {
    Deliveries d = be(false, SharingTerms.ALL);
    assertFalse(d.mayPush(FR, stored("DE", DE)));
    assertFalse(d.mayPush(CH, stored("DE", DE)));
  }

  @Test
  void aForwarderPushesOnToOthersButNotBackNorToTheOrigin() {
    Deliveries d = be(true, SharingTerms.ALL);
    assertTrue(d.mayPush(FR, stored("DE", DE)));
    assertTrue(d.mayPush(CH, stored("DE", FR)), "forwarded again from another forwarder");
    assertFalse(d.mayPush(DE, stored("DE", DE)), "back to the peer that delivered it");
    assertFalse(d.mayPush(DE, stored("DE", FR)), "to the origin's own node");
    assertFalse(d.mayPush(FR, stored("FR", CH)), "to the origin's own node, from a third");
  }

  @Test
  void sharingTermsDecidePerScope() {
    SharingTerms terms =
        SharingTerms.allToAll(List.of("BE", "DE", "FR", "CH")).with("BE", "CH", Set.of(FEDERATE));
    Deliveries d = be(false, terms);
    assertTrue(d.mayPush(CH, stored("BE", null)));
    assertFalse(d.mayPush(CH, new BatchNotifier.Stored("BE", TRAVELLER, null)));
    assertTrue(d.mayPush(FR, new BatchNotifier.Stored("BE", TRAVELLER, null)));
    Deliveries none = be(false, terms.with("BE", "FR", Set.of()));
    assertFalse(none.mayPush(FR, stored("BE", null)));
  }

  @Test
  void notAMemberOriginNorAnUnknownScope() {
    Deliveries d = be(true, SharingTerms.ALL);
    assertFalse(d.mayPush(FR, stored("NL", DE)), "NL is not a member");
    assertFalse(
        d.mayPush(FR, new BatchNotifier.Stored("BE", BatchScope.BATCH_SCOPE_UNSPECIFIED, null)));
  }

  @Test
  void notifierWakesAFilteredListenerOnlyForWhatConcernsIt() {
    BatchNotifier notifier = new BatchNotifier();
    Deliveries d = be(false, SharingTerms.ALL);
    AtomicInteger toFr = new AtomicInteger();
    AtomicInteger any = new AtomicInteger();
    Runnable fr = toFr::incrementAndGet;
    notifier.add(fr, s -> d.mayPush(FR, s));
    notifier.add(any::incrementAndGet);

    notifier.batchStored(stored("DE", DE)); // received, not forwarded: not for FR
    assertEquals(0, toFr.get());
    assertEquals(1, any.get());

    notifier.batchStored(stored("BE", null));
    assertEquals(1, toFr.get());
    assertEquals(2, any.get());

    notifier.batchStored(); // a change of state wakes everyone
    assertEquals(2, toFr.get());
    assertEquals(3, any.get());

    notifier.remove(fr);
    notifier.batchStored(stored("BE", null));
    assertEquals(2, toFr.get());
    assertEquals(4, any.get());
  }
}

package org.fedtrace.node.exchange;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.fedtrace.pki.OperatorIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** R21.24's state: held until every peer sent its backlog, or another replica ended it. */
class SequenceRecoveryTest {
  private static final OperatorIdentity FR = new OperatorIdentity("FR", "op-fr");
  private static final OperatorIdentity IT = new OperatorIdentity("IT", "op-it");

  @TempDir Path dir;

  @Test
  void holdsUntilEveryPeerCaughtUpThenRemovesItsFile() throws Exception {
    SequenceRecovery.begin(dir);
    SequenceRecovery r = SequenceRecovery.open(dir, List.of(FR, IT));
    assertTrue(r.holding());
    assertTrue(r.restores(true));
    assertFalse(r.restores(false), "a pushed batch of the node's origin is never restored");
    r.caughtUp(FR);
    assertTrue(r.holding(), "IT has not sent its backlog yet");
    r.caughtUp(IT);
    assertFalse(r.holding());
    assertFalse(Files.exists(dir.resolve(SequenceRecovery.FILE)));
  }

  @Test
  void endsWhenAnotherReplicaOfTheSameDataFolderEndedIt() throws Exception {
    SequenceRecovery.begin(dir);
    SequenceRecovery r = SequenceRecovery.open(dir, List.of(FR));
    assertTrue(r.holding());
    Files.delete(dir.resolve(SequenceRecovery.FILE)); // the replica that follows FR is done
    assertFalse(r.holding());
  }

  @Test
  void withoutTheFileOrWithoutPeersNothingIsHeld() throws Exception {
    assertFalse(SequenceRecovery.open(dir, List.of(FR)).holding());
    SequenceRecovery.begin(dir);
    assertFalse(SequenceRecovery.open(dir, List.of()).holding(), "nothing to recover from");
    assertFalse(Files.exists(dir.resolve(SequenceRecovery.FILE)));
  }
}

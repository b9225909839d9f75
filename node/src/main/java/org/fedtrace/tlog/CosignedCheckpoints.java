package org.fedtrace.tlog;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.fedtrace.proto.v1.Checkpoint;
import org.fedtrace.proto.v1.Cosignature;
import org.fedtrace.proto.v1.CosignedCheckpoint;

/**
 * The log's side of witnessing (spec/transparency.md §15.3): the checkpoint its witnesses are asked
 * to cosign (the candidate), the one before it, and the cosignatures they returned. A witness
 * cosigns the candidate it fetched, so that all witnesses cosign one checkpoint; the candidate
 * moves on to the latest checkpoint once every witness cosigned it, or once it is older than {@link
 * #MAX_CANDIDATE_AGE}, and the one before it stays served with its cosignatures until then.
 */
public final class CosignedCheckpoints {
  /** Age after which the candidate moves on even if some witnesses did not cosign it. */
  public static final Duration MAX_CANDIDATE_AGE = Duration.ofSeconds(120);

  private final LogDatabase db;
  private final TransparencyLog log;
  private final Clock clock;

  CosignedCheckpoints(LogDatabase db, TransparencyLog log, Clock clock) {
    this.db = db;
    this.log = log;
    this.clock = clock;
  }

  /**
   * The candidate and, if any, the checkpoint before it, newest first, each with its cosignatures;
   * moves the candidate on to the latest checkpoint first when it is due (R17.13).
   *
   * @param witnesses how many witnesses the log has (the agreement's other members)
   */
  public List<CosignedCheckpoint> current(int witnesses) {
    return current(log.checkpoint(), witnesses);
  }

  /**
   * As {@link #current(int)}, with the latest checkpoint the caller just got from the log.
   *
   * @param latest the log's latest checkpoint
   * @param witnesses how many witnesses the log has (the agreement's other members)
   */
  public List<CosignedCheckpoint> current(Checkpoint latest, int witnesses) {
    List<CosignedCheckpoint> now = db.read(CosignedCheckpoints::slots);
    if (!due(now, latest, witnesses)) {
      return now;
    }
    return db.write(
        s -> {
          List<CosignedCheckpoint> again = slots(s);
          if (!due(again, latest, witnesses)) {
            return again;
          }
          if (!again.isEmpty() && again.get(0).getCosignaturesCount() > 0) {
            s.putCosigned(1, again.get(0));
          }
          s.putCosigned(0, CosignedCheckpoint.newBuilder().setCheckpoint(latest).build());
          return slots(s);
        });
  }

  /** The cosigned checkpoints as held now, newest first, without moving the candidate on. */
  public List<CosignedCheckpoint> held() {
    return db.read(CosignedCheckpoints::slots);
  }

  /**
   * Adds a verified cosignature of {@code checkpoint}, which must be one {@link #current} serves;
   * replaces an earlier cosignature of the same witness.
   *
   * @throws IllegalArgumentException if the log does not collect cosignatures of {@code checkpoint}
   */
  public void add(Checkpoint checkpoint, Cosignature cosignature) {
    db.write(
        s -> {
          for (int slot = 0; slot < 2; slot++) {
            Optional<CosignedCheckpoint> held = s.cosigned(slot);
            if (held.isPresent() && held.get().getCheckpoint().equals(checkpoint)) {
              s.putCosigned(slot, with(held.get(), cosignature));
              return null;
            }
          }
          throw new IllegalArgumentException(
              "is not one this log collects cosignatures for (tree size "
                  + checkpoint.getTreeSize()
                  + "); fetch GetCheckpoint again");
        });
  }

  private static CosignedCheckpoint with(CosignedCheckpoint held, Cosignature added) {
    List<Cosignature> out = new ArrayList<>();
    for (Cosignature c : held.getCosignaturesList()) {
      if (!c.getWitness().equals(added.getWitness())) {
        out.add(c);
      }
    }
    out.add(added);
    return held.toBuilder().clearCosignatures().addAllCosignatures(out).build();
  }

  private boolean due(List<CosignedCheckpoint> slots, Checkpoint latest, int witnesses) {
    if (slots.isEmpty()) {
      return true;
    }
    CosignedCheckpoint candidate = slots.get(0);
    if (candidate.getCheckpoint().equals(latest)) {
      return false;
    }
    long age = clock.millis() - candidate.getCheckpoint().getTimeUnixMillis();
    return candidate.getCosignaturesCount() >= witnesses || age >= MAX_CANDIDATE_AGE.toMillis();
  }

  private static List<CosignedCheckpoint> slots(LogStore s) {
    List<CosignedCheckpoint> out = new ArrayList<>(2);
    s.cosigned(0).ifPresent(out::add);
    s.cosigned(1).ifPresent(out::add);
    return out;
  }
}

package org.fedtrace.node.exchange;

import com.google.protobuf.ByteString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.fedtrace.proto.v1.DiagnosisKey;

/**
 * Decoy uploads (spec §23.7): sets of random keys shaped like a real upload, which the {@link
 * Batcher} adds to a batch whose real keys come from fewer than {@code batching.decoyUploads}
 * uploads (R23.1), so that a peer cannot tell a lone uploader's keys from the others' by which
 * upload-shaped chain they form.
 *
 * <p>A decoy copies the shape of a real upload drawn uniformly from the last {@value #RECENT}
 * uploads this node published, the batch's own included (R23.3): the same number of keys, their
 * days relative to the upload, rolling periods, days since onset, transmission risk, report type
 * and visited countries; its upload time is drawn uniformly within the batch's window (from the
 * oldest pending key's acceptance to now), and the whole chain moves by the days between the two,
 * its newest key cut at that time when the original's was cut at its upload. Every key's {@code
 * key_data} is 16 fresh random bytes (R23.2). The shapes are metadata only, held in memory and
 * never stored; nothing records which keys of a batch are decoys (R23.5).
 */
final class Decoys {
  static final int RECENT = 64;
  private static final int INTERVALS_PER_DAY = 144;
  private static final int SECONDS_PER_INTERVAL = 600;

  private final Random random;
  private final Deque<Shape> recent = new ArrayDeque<>();

  /**
   * @param random source of every draw and of the decoys' key data: a {@link
   *     java.security.SecureRandom} in production
   */
  Decoys(Random random) {
    this.random = random;
  }

  /** The keys of one real upload, and when it was accepted. */
  record Shape(List<DiagnosisKey> keys, long acceptedUnixSeconds) {
    Shape {
      keys = List.copyOf(keys);
    }
  }

  /**
   * Up to {@code count} decoy uploads for a batch holding {@code uploads}, each drawn from the
   * shapes of the recent uploads and of {@code uploads}; fewer when the next would not fit in
   * {@code room} keys.
   *
   * @param window the acceptance time of the batch's oldest key and the batch's creation time (Unix
   *     seconds)
   * @return the keys of each decoy upload
   */
  List<List<DiagnosisKey>> draw(List<Shape> uploads, int count, int room, long[] window) {
    List<Shape> pool = new ArrayList<>(recent);
    pool.addAll(uploads);
    List<List<DiagnosisKey>> out = new ArrayList<>();
    int left = room;
    long span = Math.max(0, window[1] - window[0]);
    for (int i = 0; i < count && !pool.isEmpty(); i++) {
      Shape shape = pool.get(random.nextInt(pool.size()));
      if (shape.keys().size() > left) {
        break;
      }
      long at = window[0] + (span == 0 ? 0 : Math.floorMod(random.nextLong(), span + 1));
      out.add(moved(shape, at));
      left -= shape.keys().size();
    }
    return out;
  }

  /** Remembers the shapes of the uploads of a batch that was signed and stored. */
  void published(List<Shape> uploads) {
    for (Shape s : uploads) {
      recent.addLast(s);
      if (recent.size() > RECENT) {
        recent.removeFirst();
      }
    }
  }

  /** The number of shapes remembered. */
  int remembered() {
    return recent.size();
  }

  /** {@code shape}'s keys as an upload at {@code at}, with fresh key data. */
  private List<DiagnosisKey> moved(Shape shape, long at) {
    long days = Math.floorDiv(at, 86_400L) - Math.floorDiv(shape.acceptedUnixSeconds(), 86_400L);
    int uploadInterval = (int) (at / SECONDS_PER_INTERVAL);
    List<DiagnosisKey> out = new ArrayList<>(shape.keys().size());
    for (DiagnosisKey k : shape.keys()) {
      int start = (int) (k.getRollingStartIntervalNumber() + days * INTERVALS_PER_DAY);
      int period = k.getRollingPeriod();
      if (period < INTERVALS_PER_DAY && uploadInterval < start + INTERVALS_PER_DAY) {
        // the original's key of its upload day was cut at its upload: cut this one at ours
        period = Math.max(1, Math.min(INTERVALS_PER_DAY, uploadInterval - start));
      }
      byte[] key = new byte[16];
      random.nextBytes(key);
      out.add(
          k.toBuilder()
              .setKeyData(ByteString.copyFrom(key))
              .setRollingStartIntervalNumber(start)
              .setRollingPeriod(period)
              .build());
    }
    return out;
  }
}

package org.fedtrace.store.sql;

import static org.fedtrace.testing.TestLogs.batch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.fedtrace.crypto.Digest;
import org.fedtrace.crypto.Sha256;
import org.fedtrace.store.AcceptedUpload;
import org.fedtrace.store.PendingKey;
import org.fedtrace.store.Store;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The upload-to-batch link of the notice query, on the store's real schema, on both engines. */
class NoticesTest {
  @TempDir Path tmp;

  private static byte[] id(int n) {
    byte[] id = new byte[16];
    id[15] = (byte) n;
    return id;
  }

  private static void accept(Store store, int id, long expires, byte[] commitment, int... keys) {
    List<byte[]> serialized = new java.util.ArrayList<>();
    for (int k : keys) {
      serialized.add(new byte[] {(byte) k});
    }
    store.write(
        tx -> {
          tx.uploads().accept(new AcceptedUpload(id(id), expires, 1_000, serialized, commitment));
          return null;
        });
  }

  private static long[] pending(Store store) {
    return store.read(tx -> tx.uploads().pending()).stream().mapToLong(PendingKey::id).toArray();
  }

  private static void link(Store store, long[] ids, String batch, long now) {
    store.write(
        tx -> {
          tx.notices().link(ids, Digest.of(batch(batch)), now);
          return null;
        });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void linksUploadsWithACommitmentToTheBatchesHoldingTheirKeys(Engine engine) {
    byte[] c1 = Sha256.hash("secret 1".getBytes());
    byte[] c2 = Sha256.hash("secret 2".getBytes());
    try (Store store = engine.open(tmp)) {
      accept(store, 1, 5_000, c1, 1, 2);
      accept(store, 2, 5_000, null, 3);
      accept(store, 3, 4_000, c2, 4, 5);
      long[] ids = pending(store);
      link(store, new long[] {ids[0], ids[1], ids[2], ids[3]}, "first", 2_000);
      link(store, new long[] {ids[4]}, "second", 2_001);
      List<Digest> first = store.read(tx -> tx.notices().find(c1)).orElseThrow().batches();
      assertEquals(List.of(Digest.of(batch("first"))), first);
      List<Digest> second = store.read(tx -> tx.notices().find(c2)).orElseThrow().batches();
      assertEquals(List.of(Digest.of(batch("first")), Digest.of(batch("second"))), second);
      assertTrue(store.read(tx -> tx.notices().find(Sha256.hash("nobody".getBytes()))).isEmpty());
      int forgotten =
          store.write(
              tx -> {
                tx.uploads().forgetExpiredBefore(4_500); // the upload with c2 only
                return tx.notices().forgetUnreferenced();
              });
      assertEquals(2, forgotten);
      assertTrue(store.read(tx -> tx.notices().find(c2)).isEmpty());
      assertEquals(1, store.read(tx -> tx.notices().find(c1)).orElseThrow().batches().size());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUploadWithoutACommitmentIsNeverLinked(Engine engine) {
    try (SqlStore store = engine.open(tmp)) {
      accept(store, 1, 5_000, null, 1);
      link(store, pending(store), "b", 2_000);
      assertEquals(
          0L, (long) store.writeLocked(c -> c.sql().number("SELECT COUNT(*) FROM notice_batch")));
    }
  }
}

package org.fedtrace.chaos;

import com.google.protobuf.ByteString;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.fedtrace.proto.v1.DiagnosisKey;
import org.fedtrace.proto.v1.DiagnosisKeyBatch;

/**
 * The batches one node served to one reader, as it read them: batch ids, each origin's keys and
 * sequence numbers, and what it received twice. Thread-safe.
 */
final class Holdings {
  private final Set<ByteString> ids = new HashSet<>();
  private final Map<String, Set<ByteString>> keysByOrigin = new HashMap<>();
  private final Map<String, Map<Long, ByteString>> sequences = new HashMap<>();
  private int duplicateBatches;
  private int duplicateKeys;

  /** Adds what one page served. */
  synchronized void add(Iterable<DiagnosisKeyBatch> batches) {
    for (DiagnosisKeyBatch b : batches) {
      if (!ids.add(b.getBatchId())) {
        duplicateBatches++;
        continue;
      }
      ByteString other =
          sequences
              .computeIfAbsent(b.getOrigin(), o -> new HashMap<>())
              .putIfAbsent(b.getSequence(), b.getBatchId());
      if (other != null) {
        duplicateBatches++; // one origin's sequence number on two batches
      }
      Set<ByteString> keys = keysByOrigin.computeIfAbsent(b.getOrigin(), o -> new HashSet<>());
      for (DiagnosisKey k : b.getKeysList()) {
        if (!keys.add(k.getKeyData())) {
          duplicateKeys++;
        }
      }
    }
  }

  synchronized int size() {
    return ids.size();
  }

  synchronized boolean has(ByteString batchId) {
    return ids.contains(batchId);
  }

  synchronized boolean hasKeys(String origin, Iterable<ByteString> keys) {
    Set<ByteString> there = keysByOrigin.getOrDefault(origin, Set.of());
    for (ByteString k : keys) {
      if (!there.contains(k)) {
        return false;
      }
    }
    return true;
  }

  /** Batch ids received twice, or two batches of one origin with one sequence number. */
  synchronized int duplicateBatches() {
    return duplicateBatches;
  }

  /** Keys received twice in batches of one origin. */
  synchronized int duplicateKeys() {
    return duplicateKeys;
  }

  /** Sequence numbers missing below each origin's highest, counting from 1. */
  synchronized int sequenceGaps() {
    int gaps = 0;
    for (Map<Long, ByteString> bySequence : sequences.values()) {
      gaps += gaps(new TreeSet<>(bySequence.keySet()));
    }
    return gaps;
  }

  static int gaps(TreeSet<Long> sequences) {
    if (sequences.isEmpty()) {
      return 0;
    }
    return (int) (sequences.last() - sequences.size());
  }

  /** Batch ids one of the two holds and the other does not. */
  int differences(Holdings other) {
    Set<ByteString> mine = ids();
    Set<ByteString> theirs = other.ids();
    int n = 0;
    for (ByteString id : mine) {
      if (!theirs.contains(id)) {
        n++;
      }
    }
    for (ByteString id : theirs) {
      if (!mine.contains(id)) {
        n++;
      }
    }
    return n;
  }

  private synchronized Set<ByteString> ids() {
    return new HashSet<>(ids);
  }
}

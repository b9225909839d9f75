package org.fedtrace.store;

import java.util.List;

/**
 * A page of batches in position order.
 *
 * @param lastPosition the position to continue after
 */
public record Page(List<StoredBatch> batches, long lastPosition) {
  /** Copies the list. */
  public Page {
    batches = List.copyOf(batches);
  }
}

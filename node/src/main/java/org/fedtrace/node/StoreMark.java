package org.fedtrace.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The epoch of the store a node ran with, kept in its data folder, so that a store that was
 * emptied, deleted or replaced by a new one is refused at start instead of starting silently as a
 * new node (its log at 0, its own sequence at 1). A store keeps its epoch when it is copied to
 * another engine ({@code store migrate}); a fresh data folder has no mark, so new nodes and the
 * simulator start as before. {@link Node#startAnew} deletes it when an operator starts a node anew
 * on purpose.
 */
final class StoreMark {
  /** The mark's file name in the data folder. */
  static final String FILE = "store-epoch";

  private StoreMark() {}

  /**
   * Checks that the store of epoch {@code epoch} is the one the node ran with, or marks it as such
   * when the node never ran on this data folder.
   *
   * @throws NodeStartException naming the mark, when the store is another one
   */
  static void check(Path dataDir, long epoch) throws NodeStartException {
    Path mark = dataDir.resolve(FILE);
    try {
      if (Files.exists(mark)) {
        long ran = Long.parseLong(Files.readString(mark).trim());
        if (ran != epoch) {
          throw new NodeStartException(
              "dataDir: the store is not the one this node ran with (its epoch was "
                  + ran
                  + ", the store's is "
                  + epoch
                  + "): it was emptied, deleted or replaced. Restore it from a backup; to start"
                  + " this node anew on purpose, run 'fedtrace node --start-anew' (it recovers its"
                  + " numbering from its peers, R21.24, and its followers resync, R10.12)");
        }
        return;
      }
      Files.createDirectories(dataDir);
      Path staged = dataDir.resolve(FILE + ".new");
      Files.writeString(staged, Long.toString(epoch) + "\n");
      Files.move(staged, mark, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | NumberFormatException e) {
      throw new NodeStartException("dataDir: cannot use " + mark + ": " + e.getMessage());
    }
  }
}

package org.fedtrace.conformance;

import java.time.Duration;

/** Starts nodes of the implementation under test whose clock and lifecycle the suite controls. */
public interface ControlledNodes {
  /**
   * Starts a new node, with an empty store and its own test kit, serving from its clock's current
   * time (the real time at first).
   *
   * @throws Exception if the node cannot start
   */
  ControlledNode start() throws Exception;

  /** A node the suite controls. Closing it stops it and deletes its data. */
  interface ControlledNode extends AutoCloseable {
    /** Where it listens now, with its kit (the port may change on restart). */
    Target target();

    /** Moves the node's clock forward and lets the node act on the new time as its timers would. */
    void advanceClock(Duration by);

    /** Stops the node and starts it again on the same store. */
    void restart() throws Exception;

    /**
     * Starts draining (shutting down) without waiting for it to finish: when this returns, the node
     * drains and refuses new calls.
     */
    void beginDraining();

    /** Stops the node and deletes its data. */
    @Override
    void close();
  }
}

package org.fedtrace.node;

import io.grpc.ServerInterceptor;
import java.time.LocalDate;
import org.fedtrace.node.exchange.Admission;
import org.fedtrace.rules.BatchRules;
import org.fedtrace.store.Store;

/**
 * The one place where a node's parts can be replaced while it is assembled. A production node uses
 * {@link #NONE}, which changes nothing. The conformance suite's fault-detection test passes a
 * variant from test code that breaks one rule at a time, to show that the suite catches a broken
 * node; no configuration setting or command reaches this.
 */
public interface NodeSeam {
  /** The seam of every production node: each part as built. */
  NodeSeam NONE = new NodeSeam() {};

  /** The store the node uses, given the one it opened. */
  default Store store(Store opened) {
    return opened;
  }

  /** The admission of batches from peers, given the node's own. */
  default Admission admission(Admission built) {
    return built;
  }

  /** The rules of batches and keys, given those of the agreement and the configuration. */
  default BatchRules rules(BatchRules built) {
    return built;
  }

  /** The sunset date the node enforces, given the agreement's. */
  default LocalDate sunsetDate(LocalDate agreed) {
    return agreed;
  }

  /** The interceptor that establishes the caller's identity, given the node's own. */
  default ServerInterceptor identity(ServerInterceptor built) {
    return built;
  }
}

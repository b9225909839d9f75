package org.fedtrace.node.exchange;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.fedtrace.node.metrics.NodeMetrics;
import org.fedtrace.store.Store;
import org.fedtrace.tlog.TransparencyLog;

/**
 * What every part of a node's exchange shares: the store and its transparency log (a change and its
 * log entry commit together), the metrics, the subscribers waiting for new batches, the node's
 * state, its clock and the scheduler its background work runs on.
 */
public record ExchangeContext(
    Store store,
    TransparencyLog log,
    NodeMetrics metrics,
    BatchNotifier notifier,
    Lifecycle lifecycle,
    Clock clock,
    ScheduledExecutorService scheduler) {}

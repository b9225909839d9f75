package org.fedtrace.node;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.fedtrace.batch.GaenExportWriter;
import org.fedtrace.export.ExportKeys;
import org.fedtrace.export.Exporter;
import org.fedtrace.node.config.Export;
import org.fedtrace.node.exchange.ExchangeContext;
import org.fedtrace.node.exchange.JobLease;
import org.fedtrace.node.lifecycle.Lifecycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the export directory ({@code export.directory}) current: every minute, the {@link Exporter}
 * publishes the windows that ended (spec §24). Of the replicas sharing a store, the one holding the
 * {@code export} lease writes, so that no two write one directory. Runs only while the node serves:
 * past the sunset nothing more is published.
 */
final class ExportJob {
  private static final Logger LOG = LoggerFactory.getLogger(ExportJob.class);
  private static final long PERIOD_SECONDS = 60;

  private final ExchangeContext ctx;
  private final Exporter exporter;
  private final JobLease lease;

  /** The job of a node whose origin is {@code origin}: its domestic-only keys go there (R25.14). */
  ExportJob(
      ExchangeContext ctx, Export export, GaenExportWriter writer, String replica, String origin) {
    this.ctx = ctx;
    this.exporter =
        new Exporter(
            ctx.store(), export.policy(), writer, export.directory(), new SecureRandom(), origin);
    this.lease = new JobLease(ctx.store(), "export", replica, ctx.clock());
  }

  /**
   * The writer of signed exports under the section's key, or null when the node keeps no export
   * directory.
   *
   * @throws NodeStartException if the export-signing key cannot be loaded
   */
  static GaenExportWriter writer(Export export) throws NodeStartException {
    if (export.directory() == null) {
      return null;
    }
    try {
      return new GaenExportWriter(
          new GaenExportWriter.SignatureInfo(export.keyId(), export.keyVersion()),
          ExportKeys.load(export.signingKey()));
    } catch (IOException e) {
      throw new NodeStartException(
          "export.signingKey: "
              + e.getMessage()
              + " (fedtrace export --generate-key --config FILE makes one)");
    }
  }

  /** Runs the exporter now and then every minute. */
  void schedule() {
    ctx.scheduler().scheduleWithFixedDelay(this::runQuietly, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
  }

  /** Publishes the windows that ended, when this node serves and this replica holds the lease. */
  void runQuietly() {
    try {
      if (ctx.lifecycle().state() == Lifecycle.State.SERVING && lease.hold()) {
        Exporter.Result r = exporter.run(ctx.clock().instant().getEpochSecond());
        if (r.files() > 0) {
          LOG.info(
              "event=export_published window_end={} files={} keys={}",
              r.windowEnd(),
              r.files(),
              r.keys());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("event=export_failed error=\"{}\"", e.getMessage(), e);
    }
  }
}

package org.fedtrace.node;

import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exchange log that writes structured log lines (hashes, origins, peers, counts; never key
 * material). It keeps no Merkle tree and returns no leaf indexes.
 */
final class LoggingExchangeLog implements ExchangeLog {
  private static final Logger LOG = LoggerFactory.getLogger("fedtrace.exchange");

  private final String node;

  LoggingExchangeLog(String node) {
    this.node = node;
  }

  @Override
  public long record(
      Event event, byte[] subjectSha256, String origin, String peer, long keyCount, String reason) {
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "event=exchange node={} kind={} subject={} origin={} peer={} keys={} reason={}",
          node,
          event,
          HexFormat.of().formatHex(subjectSha256),
          origin,
          peer,
          keyCount,
          reason);
    }
    return -1;
  }
}

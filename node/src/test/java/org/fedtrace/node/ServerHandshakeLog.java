package org.fedtrace.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.fedtrace.pki.CertificateRejectedException;
import org.fedtrace.testing.ChangeSignal;

/**
 * What the server side of a failed TLS handshake recorded. A handshake failure has no gRPC status,
 * so the node's own code never sees it; gRPC's Netty transport logs the failure (java.util.logging,
 * level FINE) with the exception chain, which holds the {@link CertificateRejectedException} of the
 * node's trust manager, or the TLS library's reason when no certificate reached it. This records
 * those chains while it is installed.
 */
final class ServerHandshakeLog implements AutoCloseable {
  private static final Logger NETTY_TRANSPORT = Logger.getLogger("io.grpc.netty");

  private final List<String> reasons = new CopyOnWriteArrayList<>();
  private final ChangeSignal recorded = new ChangeSignal();
  private final Level previous = NETTY_TRANSPORT.getLevel();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          for (Throwable t = r.getThrown(); t != null; t = t.getCause()) {
            reasons.add(
                t instanceof CertificateRejectedException c
                    ? "rejected " + c.reason()
                    : String.valueOf(t.getMessage()));
          }
          recorded.changed();
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  ServerHandshakeLog() {
    NETTY_TRANSPORT.setLevel(Level.FINE);
    NETTY_TRANSPORT.addHandler(handler);
  }

  /** Forgets what was recorded so far. */
  void clear() {
    reasons.clear();
  }

  /** Waits until a recorded failure mentions {@code reason}, e.g. "rejected EXPIRED". */
  void await(String reason) throws InterruptedException {
    try {
      recorded.await(
          Duration.ofSeconds(10),
          () -> reasons.stream().anyMatch(r -> r.contains(reason)),
          "the server records a handshake failure with '" + reason + "'");
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; recorded: " + new ArrayList<>(reasons), e);
    }
  }

  /** Trust-manager rejections recorded so far. */
  List<String> rejections() {
    return reasons.stream().filter(r -> r.startsWith("rejected ")).distinct().toList();
  }

  @Override
  public void close() {
    NETTY_TRANSPORT.removeHandler(handler);
    NETTY_TRANSPORT.setLevel(previous);
  }
}

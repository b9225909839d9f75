package org.fedtrace.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on one peer link (the connections a node opens to one peer), which the harness can
 * cut, stall or slow down. Cut: open connections are closed and new ones closed at once. Stall:
 * nothing is forwarded either way (as when packets are dropped and TCP retransmits), until the link
 * heals and the bytes flow on. Delay: each chunk is held for a while before it is forwarded.
 */
final class LinkProxy implements AutoCloseable {
  /** The state of the link. */
  enum Mode {
    PASS,
    CUT,
    STALL,
    DELAY
  }

  private final ServerSocket server;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;
  private volatile long delayMillis;

  /** A proxy on a free loopback port to {@code targetPort} on the loopback address. */
  LinkProxy(int targetPort, String name) throws IOException {
    this.target = targetPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::accept, "proxy-" + name);
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Sets the link's state; cutting closes the connections open now. */
  void set(Mode mode, long delayMillis) {
    this.delayMillis = delayMillis;
    this.mode = mode;
    if (mode == Mode.CUT) {
      for (Socket s : open) {
        closeQuietly(s);
      }
    }
    if (mode != Mode.STALL) {
      synchronized (this) {
        notifyAll();
      }
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        if (mode == Mode.CUT) {
          closeQuietly(in);
          continue;
        }
        Socket out = new Socket();
        out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5_000);
        open.add(in);
        open.add(out);
        pump(in, out);
        pump(out, in);
      } catch (IOException e) {
        // the peer is down (its connection refused) or the proxy closed: the client retries
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16_384];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                  hold();
                  if (mode == Mode.CUT) {
                    break;
                  }
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // closed from either end
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
              }
            },
            "pump");
    t.setDaemon(true);
    t.start();
  }

  /** Waits while the link stalls, and for the delay of a slow link. */
  private void hold() throws InterruptedException {
    synchronized (this) {
      while (mode == Mode.STALL) {
        wait(100);
      }
    }
    if (mode == Mode.DELAY) {
      Thread.sleep(delayMillis);
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      closeQuietly(s);
    }
  }
}

package id.iklan.scale;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a free loopback port to a target port, which a test can cut (every connection
 * dropped, new ones refused) and restore: how a test makes the machine's PostgreSQL
 * "unreachable" for the servers without stopping it.
 */
final class TcpProxy implements AutoCloseable {
  private final int target;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  TcpProxy(int target) throws IOException {
    this.target = target;
    this.port = RedisProcess.freePort();
    open();
  }

  int port() {
    return port;
  }

  /** Accepts and relays connections again. */
  synchronized void open() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress("127.0.0.1", port));
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "tcp-proxy-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Drops every connection and refuses new ones. */
  synchronized void cut() {
    ServerSocket s = server;
    server = null;
    try {
      if (s != null) {
        s.close();
      }
    } catch (IOException e) {
      // closed anyway
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        // closed anyway
      }
    }
    sockets.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket("127.0.0.1", target);
        sockets.add(client);
        sockets.add(upstream);
        pipe(client, upstream);
        pipe(upstream, client);
      } catch (IOException e) {
        // closed, or the target refused
      }
    }
  }

  private void pipe(Socket from, Socket to) {
    Thread t = new Thread(() -> {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // one side closed
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException e) {
          // closed anyway
        }
      }
    }, "tcp-proxy-pipe");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() {
    cut();
  }
}

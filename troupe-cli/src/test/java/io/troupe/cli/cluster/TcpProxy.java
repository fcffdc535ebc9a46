package io.troupe.cli.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A TCP proxy on loopback that the test controls: it forwards every connection to a target, and while it is cut it
 * closes the connections it carries and every new one at once, as a network that drops a link does.
 */
final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean cut;

    TcpProxy(String host, int port, InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(host), port), 128);
        threads.submit(this::accept);
    }

    /** Drops every connection, and every new one, until {@link #heal}. */
    void cut() {
        cut = true;
        for (Socket socket : open) {
            close(socket);
        }
    }

    /** Forwards connections again. */
    void heal() {
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (cut) {
                close(client);
                continue;
            }
            threads.submit(() -> connect(client));
        }
    }

    private void connect(Socket client) {
        Socket server = new Socket();
        try {
            server.connect(target, 2000);
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
        } catch (IOException e) {
            close(client);
            close(server);
            return;
        }
        open.add(client);
        open.add(server);
        if (cut) {
            close(client);
            close(server);
            return;
        }
        threads.submit(() -> pump(client, server));
        pump(server, client);
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            for (int read = in.read(buffer); read >= 0 && !cut; read = in.read(buffer)) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // the other side or the cut closed the connection
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut = true;
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
        open.forEach(this::close);
        threads.shutdownNow();
    }
}

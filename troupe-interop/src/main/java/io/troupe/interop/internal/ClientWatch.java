package io.troupe.interop.internal;

import io.javalin.http.Context;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when the client of a request leaves while its answer is being made (a model's generation, which takes seconds
 * or minutes), so that the work stops rather than runs to an end nobody reads.
 *
 * <p>Jetty does not read an HTTP/1.1 connection while a request is handled, so it notices a client that closed only
 * when the answer is written: for a request answered in one piece, after all the work. Here the connection's socket is
 * watched on one selector thread shared by all watches. A request whose body was read has nothing more to come, so a
 * socket that turns readable with no byte waiting was closed (or reset) by the client. Bytes waiting are a next
 * request sent ahead (HTTP pipelining): the client is there, and the watch ends without telling. A client that only
 * shuts down its sending side (a half-close) and still waits for the answer looks like one that left; Go's net/http,
 * which watches its connections so, makes the same trade, and HTTP clients do not half-close.
 *
 * <p>Only plain TCP connections are watched (Jetty's {@link SocketChannelEndPoint}, as Troupe's servers listen); on
 * another, the watch never tells. Thread-safe.
 */
public final class ClientWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientWatch.class);

    private final @Nullable SocketChannel channel;
    private final Runnable onLeft;
    private final AtomicBoolean left = new AtomicBoolean();
    private boolean closed;
    private @Nullable SelectionKey key;

    private ClientWatch(@Nullable SocketChannel channel, Runnable onLeft) {
        this.channel = channel;
        this.onLeft = onLeft;
    }

    /**
     * Watches the client of {@code ctx}, whose body must have been read, until the watch is closed.
     *
     * @param onLeft what to do once the client has left (cancel the work): run on the watching thread, so it must be
     *     quick
     */
    public static ClientWatch start(Context ctx, Runnable onLeft) {
        SocketChannel channel = channel(ctx);
        ClientWatch watch = new ClientWatch(channel, onLeft);
        Watcher watcher = Watcher.INSTANCE;
        if (channel != null && watcher != null) {
            watcher.add(watch);
        }
        return watch;
    }

    private static @Nullable SocketChannel channel(Context ctx) {
        try {
            EndPoint endPoint = ServletContextRequest.getServletContextRequest(ctx.req())
                    .getConnectionMetaData()
                    .getConnection()
                    .getEndPoint();
            return endPoint instanceof SocketChannelEndPoint socket ? socket.getChannel() : null;
        } catch (IllegalStateException e) {
            return null; // not a request Jetty serves
        }
    }

    /** Whether the client has left. */
    public boolean left() {
        return left.get();
    }

    /** Stops watching (the answer is made); after this, nothing is told. */
    @Override
    public void close() {
        SelectionKey registered;
        synchronized (this) {
            closed = true;
            registered = key;
        }
        Watcher watcher = Watcher.INSTANCE;
        if (registered != null && watcher != null) {
            registered.cancel();
            watcher.selector.wakeup(); // let the selector drop the connection now
        }
    }

    /** The client left: tells once, unless the watch was closed first. */
    private void leave() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        if (left.compareAndSet(false, true)) {
            try {
                onLeft.run();
            } catch (RuntimeException e) {
                LOG.warn("Stopping the work of a request whose client left failed", e);
            }
        }
    }

    /** The thread that watches the sockets, started on first use; a daemon, idle in its selector between events. */
    private static final class Watcher implements Runnable {
        /** The watcher; null if no selector could be opened, when clients are not watched. */
        static final @Nullable Watcher INSTANCE = start();

        final Selector selector;
        private final Queue<ClientWatch> added = new ConcurrentLinkedQueue<>();

        private Watcher(Selector selector) {
            this.selector = selector;
        }

        private static @Nullable Watcher start() {
            try {
                Watcher watcher = new Watcher(Selector.open());
                Thread.ofPlatform().daemon().name("troupe-client-watch").start(watcher);
                return watcher;
            } catch (IOException e) {
                LOG.warn(
                        "Cannot open a selector to watch clients; work goes on after its client left: {}",
                        e.toString());
                return null;
            }
        }

        void add(ClientWatch watch) {
            added.add(watch);
            selector.wakeup();
        }

        @Override
        public void run() {
            while (true) {
                try {
                    selector.select(); // also drops the keys of closed watches
                    for (ClientWatch watch = added.poll(); watch != null; watch = added.poll()) {
                        register(watch);
                    }
                    Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                    while (ready.hasNext()) {
                        SelectionKey key = ready.next();
                        ready.remove();
                        readable(key);
                    }
                } catch (IOException e) {
                    LOG.error("Watching clients failed; work now goes on after its client left", e);
                    return;
                } catch (RuntimeException e) {
                    LOG.warn("Watching clients failed; going on", e);
                }
            }
        }

        private void register(ClientWatch watch) {
            SocketChannel channel = Objects.requireNonNull(watch.channel);
            synchronized (watch) {
                if (watch.closed) {
                    return;
                }
                try {
                    watch.key = channel.register(selector, SelectionKey.OP_READ, watch);
                    return;
                } catch (CancelledKeyException e) {
                    // The key of the connection's previous request is still being dropped: at the next round.
                    added.add(watch);
                    selector.wakeup();
                    return;
                } catch (ClosedChannelException e) {
                    // the connection is closed already: handled below, outside the lock
                } catch (RuntimeException e) {
                    LOG.debug("Cannot watch a client's connection; its work goes on if it leaves", e);
                    return;
                }
            }
            watch.leave();
        }

        private static void readable(SelectionKey key) {
            ClientWatch watch = (ClientWatch) key.attachment();
            key.cancel();
            int waiting;
            try {
                waiting = ((SocketChannel) key.channel())
                        .socket()
                        .getInputStream()
                        .available();
            } catch (IOException e) {
                waiting = 0;
            }
            if (waiting == 0) {
                watch.leave(); // readable with nothing to read: the end of the stream, or a reset
            }
        }
    }
}

package io.troupe.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * Loopback ports for the nodes and servers a test starts in other processes, chosen below the system's ephemeral
 * range. A port the system hands out ({@code new ServerSocket(0)}) comes from that range, which every outgoing
 * connection on the machine also draws its local port from: between the test choosing it and a node binding it,
 * another connection can take it ("Address already in use"). A port below the range is taken only by a process that
 * asks for it by number.
 */
public final class FreePorts {
    /** The lowest port chosen: above the well-known and most registered service ports. */
    private static final int LOWEST = 10_000;
    /** Linux's default start of the ephemeral range (and below the IANA range other systems use). */
    private static final int DEFAULT_EPHEMERAL_START = 32_768;

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private FreePorts() {}

    /** {@code count} distinct loopback ports that were free when asked, none in the ephemeral range. */
    public static int[] loopback(int count) {
        int end = ephemeralStart();
        int span = end - LOWEST;
        if (count < 1 || count > span) {
            throw new IllegalArgumentException("count must be between 1 and " + span + ", was " + count);
        }
        int[] ports = new int[count];
        List<ServerSocket> held = new ArrayList<>();
        try {
            int start = ThreadLocalRandom.current().nextInt(span);
            int found = 0;
            for (int i = 0; i < span && found < count; i++) {
                int port = LOWEST + (start + i) % span;
                ServerSocket socket = tryBind(port);
                if (socket != null) {
                    held.add(socket); // held until every port is found, so that none is chosen twice
                    ports[found++] = port;
                }
            }
            if (found < count) {
                throw new IllegalStateException(
                        "only " + found + " of " + count + " loopback ports below " + end + " are free");
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing a socket that was only bound
                }
            }
        }
    }

    /** One loopback port that was free when asked, not in the ephemeral range. */
    public static int loopback() {
        return loopback(1)[0];
    }

    private static @Nullable ServerSocket tryBind(int port) {
        try {
            return new ServerSocket(port, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            return null;
        }
    }

    /** Where the ephemeral range starts here: Linux says in {@code /proc}; elsewhere it starts higher. */
    private static int ephemeralStart() {
        try {
            if (Files.isReadable(EPHEMERAL_RANGE)) {
                // procfs reports no size, and Files.readString then reads a byte or so: read it by lines.
                int start = Integer.parseInt(
                        Files.readAllLines(EPHEMERAL_RANGE).getFirst().strip().split("\\s+")[0]);
                return Math.max(LOWEST + 1_000, Math.min(start, DEFAULT_EPHEMERAL_START));
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or in an unexpected format: the default
        }
        return DEFAULT_EPHEMERAL_START;
    }
}

package io.troupe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void loopback_givesDistinctBindablePorts_belowTheEphemeralRange() throws Exception {
        int[] ports = FreePorts.loopback(12);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(12);
        Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
        int ephemeralStart = Files.isReadable(range)
                ? Integer.parseInt(Files.readAllLines(range).getFirst().strip().split("\\s+")[0])
                : 32_768;
        assertThat(Arrays.stream(ports).boxed().toList())
                .allSatisfy(port -> assertThat(port).isBetween(10_000, ephemeralStart - 1));
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
    }

    @Test
    void aPortInUse_isNotGiven() throws Exception {
        int taken = FreePorts.loopback();
        try (ServerSocket holder = new ServerSocket(taken, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                assertThat(FreePorts.loopback(50)).doesNotContain(taken);
            }
        }
    }
}

package io.troupe.models.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model manager against a loopback HTTP server that serves the real stories260K bytes. */
class ModelManagerIT {
    private static final String PATH = "models/tinyllamas/stories260K.gguf";
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");

    private byte[] model;
    private HttpServer server;
    private final List<String> ranges = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean cutFirstRequest;
    private volatile boolean stallFirstRequest;
    private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

    @BeforeEach
    void serve() throws IOException {
        model = Files.readAllBytes(TestModels.stories());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/" + PATH, exchange -> {
            int request = requests.incrementAndGet();
            String range = exchange.getRequestHeaders().getFirst("Range");
            ranges.add(String.valueOf(range));
            int from = 0;
            if (range != null) {
                Matcher matcher = RANGE.matcher(range);
                if (matcher.matches()) {
                    from = Integer.parseInt(matcher.group(1));
                    exchange.getResponseHeaders()
                            .add("Content-Range", "bytes " + from + "-" + (model.length - 1) + "/" + model.length);
                }
            }
            exchange.sendResponseHeaders(from > 0 ? 206 : 200, model.length - from);
            OutputStream body = exchange.getResponseBody();
            if (request == 1 && cutFirstRequest) {
                body.write(model, 0, model.length / 2);
                body.flush();
                // An exception out of the handler makes the server drop the connection half-way.
                throw new IOException("connection cut on purpose");
            }
            if (request == 1 && stallFirstRequest) {
                body.write(model, 0, model.length / 2);
                body.flush();
                try {
                    released.await(30, java.util.concurrent.TimeUnit.SECONDS); // keep the connection open, silent
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IOException("stalled on purpose");
            }
            body.write(model, from, model.length - from);
            body.close();
        });
        // A thread per request: a stalled exchange must not hold up the resumed one.
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        released.countDown();
        server.stop(0);
    }

    private URI base() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static CatalogEntry entry(String sha256) {
        return new CatalogEntry("stories260K", PATH, sha256, 1_185_376, "MIT");
    }

    @Test
    void resolve_connectionCutHalfWay_resumesWithARangeRequestAndVerifies(@TempDir Path cache) throws Exception {
        cutFirstRequest = true;
        List<Long> progress = Collections.synchronizedList(new ArrayList<>());
        ModelManager manager = new ModelManager(
                cache, base(), List.of(entry(TestModels.STORIES_SHA256)), (name, done, total) -> progress.add(done));

        Path file = manager.resolve("stories260K");

        assertThat(file).isEqualTo(cache.resolve("stories260K.gguf").toAbsolutePath());
        assertThat(Files.readAllBytes(file)).isEqualTo(model);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).isEqualTo("null");
        Matcher resume = RANGE.matcher(ranges.get(1));
        assertThat(resume.matches()).as(ranges.get(1)).isTrue();
        assertThat(Long.parseLong(resume.group(1))).isPositive().isLessThan(model.length);
        assertThat(progress).last().isEqualTo((long) model.length);
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).containsExactly(file);
        }

        assertThat(manager.resolve("stories260K")).isEqualTo(file); // cached and verified: no new request
        assertThat(requests).hasValue(2);
    }

    @Test
    void resolve_serverStallsHalfWay_givesUpOnTheStreamAndResumes(@TempDir Path cache) throws Exception {
        stallFirstRequest = true;
        ModelManager manager = new ModelManager(
                cache,
                base(),
                List.of(entry(TestModels.STORIES_SHA256)),
                DownloadProgress.NONE,
                java.time.Duration.ofMillis(500));

        Path file = manager.resolve("stories260K");

        assertThat(Files.readAllBytes(file)).isEqualTo(model);
        assertThat(ranges).hasSize(2);
        assertThat(RANGE.matcher(ranges.get(1)).matches()).as(ranges.get(1)).isTrue();
    }

    @Test
    void resolve_sha256Mismatch_refusesAndLeavesNoFile(@TempDir Path cache) throws Exception {
        String wrong = TestModels.TINY_RANDOM_SHA256;
        ModelManager manager = new ModelManager(cache, base(), List.of(entry(wrong)), DownloadProgress.NONE);

        assertThatThrownBy(() -> manager.resolve("stories260K"))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("has sha256 " + TestModels.STORIES_SHA256)
                .hasMessageContaining(wrong + " was expected, so it was deleted");
        try (Stream<Path> files = Files.list(cache)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void resolve_offline_saysWhichFileToPlaceWhere(@TempDir Path cache) throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ModelManager manager = new ModelManager(
                cache,
                URI.create("http://127.0.0.1:" + closedPort),
                List.of(entry(TestModels.STORIES_SHA256)),
                DownloadProgress.NONE);
        Path target = cache.resolve("stories260K.gguf").toAbsolutePath();

        assertThatThrownBy(() -> manager.resolve("stories260K"))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("seems to be offline")
                .hasMessageContaining("place the file at " + target)
                .hasMessageContaining("sha256 " + TestModels.STORIES_SHA256)
                .hasMessageContaining("configure an API model");
    }

    @Test
    void resolve_localPathOrUnknownName() throws Exception {
        ModelManager manager = new ModelManager(Path.of("unused"), base(), ModelManager.CATALOG, DownloadProgress.NONE);

        assertThat(manager.resolve(TestModels.stories().toString())).isEqualTo(TestModels.stories());
        assertThatThrownBy(() -> manager.resolve("no-such-model"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Unknown model 'no-such-model'")
                .hasMessageContaining("stories260K, qwen2.5-0.5b-instruct");
        assertThatThrownBy(() -> manager.resolve("/nowhere/model.gguf"))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("/nowhere/model.gguf does not exist");
        assertThat(requests).hasValue(0);
    }
}

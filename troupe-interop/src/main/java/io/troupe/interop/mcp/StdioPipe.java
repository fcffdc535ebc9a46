package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * Stands between an MCP client's pipes and the SDK's stdio transport, which reads one JSON-RPC message a line:
 *
 * <ul>
 *   <li>A line that is not JSON is answered here with a JSON-RPC parse error ({@code -32700}, id null) and not passed
 *       on: the transport stops reading at the first such line, leaving every later request unanswered. So is a
 *       request with parameters the transport cannot read ({@link McpRequests}).
 *   <li>The end of the client's input is passed on only once every request read before it has been answered (or
 *       {@code grace} has passed): the transport closes at end of input, and a request read just before would be
 *       dropped with its run.
 * </ul>
 *
 * <p>Requests are told from notifications by their id; an answer is a message with an id and a result or an error.
 * The transport reads {@link #input()} and writes {@link #output()}.
 */
final class StdioPipe {
    private static final byte[] END = new byte[0];

    private final InputStream client;
    private final OutputStream out;
    private final ObjectMapper json;
    private final Duration grace;
    private final LinkedBlockingQueue<byte[]> lines = new LinkedBlockingQueue<>();
    /** The ids of the requests read and not yet answered. */
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private final Object writing = new Object();
    private volatile long deadline;

    StdioPipe(InputStream client, OutputStream out, ObjectMapper json, Duration grace) {
        this.client = client;
        this.out = out;
        this.json = json;
        this.grace = grace;
    }

    /** Starts reading the client's input on a thread of its own. */
    StdioPipe start() {
        Thread.ofVirtual().name("troupe-mcp-stdin").start(this::pump);
        return this;
    }

    /**
     * When the grace for unanswered requests ends ({@link System#nanoTime}), once the client's input has ended; 0
     * before.
     */
    long deadline() {
        return deadline;
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(client, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    take(line);
                }
            }
        } catch (IOException e) {
            // the client's input failed: as at its end
        }
        deadline = System.nanoTime() + grace.toNanos();
        synchronized (pending) {
            while (!pending.isEmpty() && System.nanoTime() < deadline) {
                try {
                    pending.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        lines.add(END);
    }

    private void take(String line) {
        JsonNode message;
        try {
            message = json.readTree(line);
        } catch (JacksonException e) {
            answer(null, -32700, "Parse error: the line is not JSON (" + e.getOriginalMessage() + ")");
            return;
        }
        if (!(message instanceof ObjectNode object)
                || !(object.hasNonNull("method") || object.has("result") || object.has("error"))) {
            // The transport would stop reading at a message it cannot read, as at a line that is not JSON.
            answer(
                    message.get("id"),
                    -32600,
                    "Invalid Request: one JSON-RPC message a line, an object with a method (a request or a"
                            + " notification) or with a result or an error (a response)");
            return;
        }
        if (object.hasNonNull("method")) {
            String invalid = McpRequests.invalidParams(object);
            if (invalid != null && object.hasNonNull("id")) {
                answer(object.get("id"), McpRequests.INVALID_PARAMS, invalid);
                return;
            }
            if (object.hasNonNull("id")) {
                pending.add(object.get("id").toString());
            } else if (object.get("method").asText().equals("notifications/cancelled")) {
                settled(object.path("params").path("requestId").toString()); // it will not be answered
            }
        }
        lines.add((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void answer(@Nullable JsonNode id, int code, String text) {
        write((McpRequests.error(json, id, code, text) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] line) {
        synchronized (writing) {
            try {
                out.write(line);
                out.flush();
            } catch (IOException e) {
                // the client has gone: nobody reads what it would have been told
            }
        }
    }

    /** What the transport reads: the client's messages, and its end once every request has been answered. */
    InputStream input() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (length == 0) {
                    return 0;
                }
                while (position == current.length) {
                    if (current == END) {
                        return -1;
                    }
                    try {
                        current = lines.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException("interrupted while waiting for the client");
                    }
                    position = 0;
                    if (current == END) {
                        lines.add(END); // stays at its end
                        return -1;
                    }
                }
                int n = Math.min(length, current.length - position);
                System.arraycopy(current, position, buffer, offset, n);
                position += n;
                return n;
            }
        };
    }

    /** What the transport writes: passed on a whole line at a time, noting which requests it answers. */
    OutputStream output() {
        return new OutputStream() {
            private final ByteArrayOutputStream line = new ByteArrayOutputStream();

            @Override
            public synchronized void write(int b) {
                line.write(b);
                if (b == '\n') {
                    passOn();
                }
            }

            @Override
            public synchronized void write(byte[] bytes, int offset, int length) {
                int start = offset;
                for (int i = offset; i < offset + length; i++) {
                    if (bytes[i] == '\n') {
                        line.write(bytes, start, i + 1 - start);
                        passOn();
                        start = i + 1;
                    }
                }
                line.write(bytes, start, offset + length - start);
            }

            @Override
            public synchronized void flush() {}

            private void passOn() {
                byte[] bytes = line.toByteArray();
                line.reset();
                StdioPipe.this.write(bytes);
                answered(bytes);
            }
        };
    }

    private void answered(byte[] line) {
        try {
            if (json.readTree(line) instanceof ObjectNode message
                    && message.hasNonNull("id")
                    && (message.has("result") || message.has("error"))) {
                settled(message.get("id").toString());
            }
        } catch (IOException e) {
            // not a message of ours to count
        }
    }

    private void settled(String id) {
        if (pending.remove(id)) {
            synchronized (pending) {
                pending.notifyAll();
            }
        }
    }
}

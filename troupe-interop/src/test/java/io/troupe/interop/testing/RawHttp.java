package io.troupe.interop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 POST written by hand on a socket, for tests of what a server does with a body it refuses: the whole body
 * goes out before the answer is read, as a client that does not look for an early answer sends it (with its length
 * declared, or in chunks), or nothing goes out before the answer when the client waits for {@code 100 Continue}; or
 * any request, exactly as written. Shared with troupe-server's tests through this module's test jar.
 */
public final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BLOCK = 64 * 1024;

    private RawHttp() {}

    /** How the body is sent. */
    public enum Framing {
        /** {@code Content-Length}, then the body. */
        LENGTH,
        /** {@code Transfer-Encoding: chunked}, the body in chunks of 64 KiB. */
        CHUNKED,
        /** {@code Content-Length} and {@code Expect: 100-continue}; the body only after a {@code 100 Continue}. */
        EXPECT_CONTINUE
    }

    /** An answer: the status of the final response, its headers (names in lower case) and its body. */
    public record Answer(int status, Map<String, String> headers, String body) {
        /** The body as JSON. */
        public JsonNode json() throws IOException {
            return JSON.readTree(body);
        }
    }

    /**
     * Sends an A2A request without a body, {@code method path} with the bearer {@code token} and {@code headers} (each
     * line ending in CRLF) on a connection closed after it, and reads the answer.
     */
    public static Answer a2a(URI server, String method, String path, String token, String headers) throws IOException {
        return exchange(
                server,
                method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Type: application/json\r\nA2A-Version: 1.0\r\nContent-Length: 0\r\n"
                        + headers + "Connection: close\r\n\r\n");
    }

    /** The error of a JSON-RPC error answer (id null), checking its status, Content-Type and shape. */
    public static JsonNode jsonRpcError(Answer answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).as(answer.body()).startsWith("application/json");
        JsonNode body = answer.json();
        assertThat(body.path("jsonrpc").asText()).as(answer.body()).isEqualTo("2.0");
        assertThat(body.has("id") && body.path("id").isNull()).as(answer.body()).isTrue();
        assertThat(body.path("error").path("code").isInt()).as(answer.body()).isTrue();
        assertThat(body.path("error").path("message").asText())
                .as(answer.body())
                .isNotBlank();
        return body.path("error");
    }

    /**
     * Posts {@code size} bytes of {@code x} to {@code endpoint} with {@code headers}, then reads the answer.
     *
     * @throws AssertionError if the server closed the connection before it read the body, or before it answered
     */
    public static Answer post(URI endpoint, Map<String, String> headers, long size, Framing framing)
            throws IOException {
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder("POST " + endpoint.getRawPath() + " HTTP/1.1\r\n");
            head.append("Host: ")
                    .append(endpoint.getHost())
                    .append(':')
                    .append(endpoint.getPort())
                    .append("\r\n");
            headers.forEach((name, value) ->
                    head.append(name).append(": ").append(value).append("\r\n"));
            head.append(
                    framing == Framing.CHUNKED ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + size + "\r\n");
            if (framing == Framing.EXPECT_CONTINUE) {
                head.append("Expect: 100-continue\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (framing != Framing.EXPECT_CONTINUE) {
                    send(out, size, framing == Framing.CHUNKED);
                }
            } catch (IOException e) {
                throw new AssertionError(
                        "the server closed the connection after " + "reading part of the body, before the client"
                                + " could read its answer: " + e,
                        e);
            }
            byte[] response;
            try {
                response = in.readAllBytes();
            } catch (IOException e) {
                throw new AssertionError("the connection was reset before the answer could be read: " + e, e);
            }
            return parse(response);
        }
    }

    /** Sends {@code request} as it is (the request line and headers, and a body if any) and reads the answer. */
    public static Answer exchange(URI server, String request) throws IOException {
        try (Socket socket = new Socket(server.getHost(), server.getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    private static void send(OutputStream out, long size, boolean chunked) throws IOException {
        byte[] block = new byte[BLOCK];
        Arrays.fill(block, (byte) 'x');
        for (long left = size; left > 0; ) {
            int length = (int) Math.min(BLOCK, left);
            if (chunked) {
                out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            out.write(block, 0, length);
            if (chunked) {
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            left -= length;
        }
        if (chunked) {
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
    }

    /** The final response of {@code bytes}: informational ones (a {@code 100 Continue}) are skipped. */
    private static Answer parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        while (true) {
            int end = text.indexOf("\r\n\r\n");
            if (end < 0) {
                throw new AssertionError("no complete HTTP response in: " + text);
            }
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            String rest = text.substring(end + 4);
            if (status >= 100 && status < 200) {
                text = rest;
                continue;
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                rest = unchunk(rest);
            }
            return new Answer(
                    status, headers, new String(rest.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
        }
    }

    private static String unchunk(String chunked) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            int length = Integer.parseInt(
                    chunked.substring(at, lineEnd).split(";")[0].strip(), 16);
            if (length == 0) {
                return body.toString(StandardCharsets.ISO_8859_1);
            }
            body.writeBytes(chunked.substring(lineEnd + 2, lineEnd + 2 + length).getBytes(StandardCharsets.ISO_8859_1));
            at = lineEnd + 2 + length + 2;
        }
    }
}

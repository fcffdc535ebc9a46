package io.troupe.interop.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Makes the MCP SDK's HTTP error responses JSON-RPC errors. The SDK's Streamable HTTP transport answers a request it
 * refuses (a body that is not JSON, no or an unknown session) with its Java exception serialized whole: class names,
 * a stack trace of thirty frames, the parser's internals. Each becomes {@code {"jsonrpc": "2.0", "id": null,
 * "error": {"code", "message"}}} with the same HTTP status, the code the SDK chose and its message without the
 * parser's location details. A request whose parameters the SDK could not read ({@link McpRequests}) is answered here
 * with invalid parameters ({@code -32602}): the SDK would answer it with nothing, and its client would wait.
 */
final class JsonRpcErrorFilter implements Filter {
    private final ObjectMapper json;

    JsonRpcErrorFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        if (request instanceof HttpServletRequest post && "POST".equals(post.getMethod())) {
            byte[] body = post.getInputStream().readAllBytes();
            if (refused(body, http)) {
                return;
            }
            request = new Replayed(post, body);
        }
        Capturing capturing = new Capturing(http);
        chain.doFilter(request, capturing);
        byte[] body = capturing.captured();
        if (body != null) {
            byte[] clean = clean(body);
            http.setContentType("application/json");
            http.setCharacterEncoding("UTF-8");
            http.setContentLength(clean.length);
            http.getOutputStream().write(clean);
        }
    }

    /** Whether {@code body} is a request the SDK could not read, now answered with invalid parameters. */
    private boolean refused(byte[] body, HttpServletResponse http) throws IOException {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (IOException e) {
            return false; // the SDK answers a body that is not JSON
        }
        String invalid = message instanceof ObjectNode request && request.hasNonNull("id")
                ? McpRequests.invalidParams(request)
                : null;
        if (invalid == null) {
            return false;
        }
        byte[] answer = McpRequests.error(json, message.get("id"), McpRequests.INVALID_PARAMS, invalid)
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        http.setStatus(200);
        http.setContentType("application/json");
        http.setCharacterEncoding("UTF-8");
        http.setContentLength(answer.length);
        http.getOutputStream().write(answer);
        return true;
    }

    /** A request whose body, read here, is read again by the transport. */
    private static final class Replayed extends HttpServletRequestWrapper {
        private final byte[] body;

        Replayed(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return in.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                /** The body is all here: the listener hears that it can read, and that it has read all. */
                @Override
                public void setReadListener(ReadListener listener) {
                    try {
                        listener.onDataAvailable();
                        listener.onAllDataRead();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(
                    getInputStream(),
                    encoding == null ? StandardCharsets.UTF_8 : java.nio.charset.Charset.forName(encoding)));
        }
    }

    /** The JSON-RPC error for the SDK's serialized exception {@code body} (or, unreadable, its text). */
    private byte[] clean(byte[] body) {
        int code = -32600;
        String message;
        try {
            JsonNode thrown = json.readTree(body);
            JsonNode error = thrown.path("jsonRpcError");
            code = error.path("code").asInt(code);
            message = error.hasNonNull("message")
                    ? error.path("message").asText()
                    : thrown.path("message").asText("the request was refused");
        } catch (IOException e) {
            message = new String(body, StandardCharsets.UTF_8);
        }
        int location = message.indexOf("\n at [Source");
        if (location >= 0) {
            message = message.substring(0, location);
        }
        ObjectNode answer = json.createObjectNode().put("jsonrpc", "2.0").putNull("id");
        answer.putObject("error").put("code", code).put("message", message.strip());
        return answer.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Keeps what is written after an error status, to be cleaned; passes everything else through. */
    private static final class Capturing extends HttpServletResponseWrapper {
        private @Nullable ByteArrayOutputStream buffer;
        private @Nullable PrintWriter writer;

        Capturing(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int status) {
            super.setStatus(status);
            if (status >= 400 && buffer == null) {
                buffer = new ByteArrayOutputStream();
            }
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            if (buffer == null) {
                return super.getWriter();
            }
            if (writer == null) {
                writer = new PrintWriter(new OutputStreamWriter(buffer, StandardCharsets.UTF_8));
            }
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            if (buffer == null) {
                return super.getOutputStream();
            }
            ByteArrayOutputStream into = buffer;
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    into.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                /** Writing goes to memory, so it is always possible. */
                @Override
                public void setWriteListener(WriteListener listener) {
                    try {
                        listener.onWritePossible();
                    } catch (IOException e) {
                        listener.onError(e);
                    }
                }
            };
        }

        @Override
        public void flushBuffer() throws IOException {
            if (buffer == null) {
                super.flushBuffer();
            }
        }

        /** What was written after an error status, or null when none was set. */
        byte @Nullable [] captured() {
            if (buffer == null) {
                return null;
            }
            if (writer != null) {
                writer.flush();
            }
            return buffer.toByteArray();
        }
    }
}

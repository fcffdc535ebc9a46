package io.troupe.interop.internal;

import io.javalin.http.Context;
import io.javalin.http.servlet.MaxRequestSize;
import java.io.IOException;
import java.io.InputStream;

/**
 * A request's body read within a limit, for a route that must refuse a body over it in its own error shape:
 * Javalin's own refusal is a plain-text 413 that a JSON-RPC or OpenAI client cannot read. The A2A and OpenAI
 * endpoints read their bodies so, and so does the server's REST API.
 *
 * <p>An oversized body is read and dropped (up to {@link #DRAIN_AT_MOST}) before it is refused: refused at once, the
 * connection would close under a client still sending it, which would then see a connection reset instead of the 413.
 * A client that sent {@code Expect: 100-continue} sends nothing before it reads the refusal, so its body is not
 * waited for.
 */
public final class RequestBody {
    /** The most of an oversized body that is read and dropped before it is refused: 16 MiB. */
    static final long DRAIN_AT_MOST = 16L << 20;

    private RequestBody() {}

    /** A body over the limit: the limit, for the route's message. */
    public static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        private final long limit;

        TooLargeException(long limit) {
            super("the request body is larger than " + limit + " bytes", null, false, false);
            this.limit = limit;
        }

        /** The most bytes a body may have. */
        public long limit() {
            return limit;
        }

        /** The limit as people read it: {@code 4194304 bytes (4 MiB)}, or just bytes below a KiB or off its unit. */
        public String describeLimit() {
            if (limit >= 1 << 20 && limit % (1 << 20) == 0) {
                return limit + " bytes (" + (limit >> 20) + " MiB)";
            }
            if (limit >= 1 << 10 && limit % (1 << 10) == 0) {
                return limit + " bytes (" + (limit >> 10) + " KiB)";
            }
            return limit + " bytes";
        }
    }

    /**
     * The body of {@code ctx} within the server's limit ({@code maxRequestSize} of the Javalin configuration).
     *
     * @throws TooLargeException if it has more bytes than the limit
     * @throws IOException if it could not be read (the client left, or sent less than it declared)
     */
    public static byte[] read(Context ctx) throws TooLargeException, IOException {
        return read(ctx, ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey()));
    }

    /**
     * The body of {@code ctx}, at most {@code limit} bytes: refused without reading it when it declares a length over
     * the limit, else read up to the limit.
     *
     * @throws TooLargeException if it has more bytes than the limit
     * @throws IOException if it could not be read (the client left, or sent less than it declared)
     */
    public static byte[] read(Context ctx, long limit) throws TooLargeException, IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            // A client that waits for 100 Continue reads the refusal before it sends anything; one that declares more
            // than is drained is refused at once, whatever it then sees.
            if (!"100-continue".equalsIgnoreCase(ctx.header("Expect")) && declared <= DRAIN_AT_MOST) {
                try (InputStream in = ctx.req().getInputStream()) {
                    drain(in, DRAIN_AT_MOST);
                } catch (IOException e) {
                    // the refusal goes out all the same
                }
            }
            throw new TooLargeException(limit);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                // Sent without a length (in chunks), or with 100 Continue answered by the first read: the client is
                // sending the rest.
                drain(in, DRAIN_AT_MOST - bytes.length);
                throw new TooLargeException(limit);
            }
            return bytes;
        }
    }

    /** Reads and drops at most {@code atMost} bytes of {@code in}, up to its end; the refusal goes out all the same. */
    private static void drain(InputStream in, long atMost) {
        byte[] buffer = new byte[64 * 1024];
        try {
            for (long left = atMost; left > 0; ) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (read < 0) {
                    return;
                }
                left -= read;
            }
        } catch (IOException e) {
            // the client left: nobody reads the refusal
        }
    }
}

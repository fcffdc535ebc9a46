package io.troupe.interop.internal;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.servlet.MaxRequestSize;

/**
 * A request's body read within the server's limit ({@code maxRequestSize} of the Javalin configuration), for a route
 * that must refuse a body over it in its own protocol's error shape: Javalin's own refusal is a plain-text 413 that a
 * JSON-RPC or OpenAI client cannot read.
 */
public final class RequestBody {
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
     * The body of {@code ctx}: refused at once when it declares a length over the limit, else read up to the limit.
     *
     * @throws TooLargeException if it has more bytes than the limit
     */
    public static byte[] read(Context ctx) throws TooLargeException {
        long limit = ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey());
        if (ctx.req().getContentLengthLong() > limit) {
            throw new TooLargeException(limit);
        }
        try {
            return ctx.bodyAsBytes();
        } catch (HttpResponseException e) {
            if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
                throw new TooLargeException(limit);
            }
            throw e;
        }
    }
}

package io.troupe.interop.a2a;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The constants of A2A 1.0's JSON-RPC binding, and the JSON mapper its messages are read and written with. */
public final class A2a {
    /** The protocol version this implementation speaks, as sent in {@value #VERSION_HEADER}. */
    public static final String VERSION = "1.0";
    /** The header (or query parameter) that names the protocol version of a request. */
    public static final String VERSION_HEADER = "A2A-Version";
    /** The header that lists the extensions a client uses, and that the server activated. */
    public static final String EXTENSIONS_HEADER = "A2A-Extensions";
    /** The binding's name in an Agent Card. */
    public static final String BINDING = "JSONRPC";
    /** Where an agent's card is published, relative to its base URL. */
    public static final String CARD_PATH = "/.well-known/agent-card.json";

    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private A2a() {}

    /**
     * A mapper for A2A JSON: absent fields are left out, and unknown fields are ignored, as the specification asks
     * for forward compatibility.
     */
    public static ObjectMapper mapper() {
        return new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** {@code instant} as an A2A timestamp: ISO 8601 in UTC with milliseconds, such as 2025-10-28T10:30:00.000Z. */
    public static String timestamp(Instant instant) {
        return TIMESTAMP.format(instant);
    }
}

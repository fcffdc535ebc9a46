package io.troupe.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a client is in a run's event stream: how many of the run's journal events it has, and how many of each child
 * run's that is still going (children of children included). It is the {@code id} of every journal event the
 * stream sends, so a reconnecting client's {@code Last-Event-ID} says exactly what it has: {@code 12} (twelve
 * events of the run), or {@code 12;3f2a…=4} (and four of child run 3f2a…). Children that ended are left out: all
 * their events were sent before the parent's next one.
 *
 * @param run how many of the run's own journal events the client has
 * @param children how many journal events the client has of each child run still going, in order of start
 */
record StreamCursor(long run, Map<String, Long> children) {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final int MAX_CHILDREN = 256;

    StreamCursor {
        children = Collections.unmodifiableMap(new LinkedHashMap<>(children));
    }

    /** The start of a stream. */
    static final StreamCursor START = new StreamCursor(0, Map.of());

    /** The text sent as an event's id. */
    String format() {
        if (children.isEmpty()) {
            return Long.toString(run);
        }
        StringBuilder text = new StringBuilder().append(run);
        children.forEach((id, count) -> text.append(';').append(id).append('=').append(count));
        return text.toString();
    }

    /**
     * Reads a {@code Last-Event-ID}.
     *
     * @return the cursor, or null when {@code text} is null or blank
     * @throws ApiException 400 {@code invalid_parameter} for text this server did not send
     */
    static @Nullable StreamCursor parse(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String[] parts = text.strip().split(";", -1);
        if (parts.length > MAX_CHILDREN + 1) {
            throw invalid(text);
        }
        try {
            long run = Long.parseLong(parts[0]);
            Map<String, Long> children = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                int equals = parts[i].indexOf('=');
                String id = equals < 0 ? "" : parts[i].substring(0, equals);
                long count = Long.parseLong(parts[i].substring(equals + 1));
                if (!RUN_ID.matcher(id).matches() || count < 0 || children.put(id, count) != null) {
                    throw invalid(text);
                }
            }
            if (run < 0) {
                throw invalid(text);
            }
            return new StreamCursor(run, children);
        } catch (NumberFormatException e) {
            throw invalid(text);
        }
    }

    static ApiException invalid(String text) {
        String shown = text.length() > 80 ? text.substring(0, 80) + "…" : text;
        return ApiException.badRequest(
                "invalid_parameter",
                "Last-Event-ID '" + shown + "' is not an event id this server sent; reconnect without it to start"
                        + " from the first event, or with ?from=N to start at event N");
    }
}

package io.troupe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.troupe.api.ConfigurationException;
import io.troupe.api.model.Usage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.RunStatus;
import io.troupe.api.run.RunSummary;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.TroupeNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The runs API: start a run from a spec, list runs, read one, cancel it, and page through its journal events.
 * Every handler answers JSON; errors are {@link ApiException}s.
 */
final class RunRoutes {
    private static final Set<String> START_FIELDS = Set.of("spec", "yaml", "task", "metadata");
    /** The longest cancel reason: it is journaled, and shown with the run. */
    static final int MAX_REASON_CHARS = 4000;

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final int MAX_LABELS = 32;
    private static final int MAX_LABEL_VALUE = 1024;
    private static final Duration CANCEL_WAIT = Duration.ofSeconds(10);

    private final TroupeNode node;
    private final Specs specs;
    private final SpecShelf shelf;
    private final ServerGuards guards;
    private final ServerLimits limits;
    private final Resumer resumer;

    RunRoutes(
            TroupeNode node, Specs specs, SpecShelf shelf, ServerGuards guards, ServerLimits limits, Resumer resumer) {
        this.node = node;
        this.specs = specs;
        this.shelf = shelf;
        this.guards = guards;
        this.limits = limits;
        this.resumer = resumer;
    }

    /** {@code POST /api/runs}: {@code {"spec": name} or {"yaml": text}, "task"?, "metadata"?}. */
    void start(Context ctx) {
        ObjectNode body = Json.body(ctx, limits.maxBodyBytes(), false);
        Json.onlyFields(
                body,
                START_FIELDS,
                "a run is started with \"spec\" (a name) or \"yaml\" (a spec), and optionally \"task\" and"
                        + " \"metadata\"");
        String name = Json.text(body, "spec");
        String yaml = Json.text(body, "yaml");
        if ((name == null) == (yaml == null)) {
            throw ApiException.badRequest(
                    name == null ? "spec_missing" : "spec_ambiguous",
                    "Give exactly one of \"spec\" (the name of a spec in the server's spec folder) and \"yaml\" (a"
                            + " spec's text)");
        }
        if (yaml != null && yaml.length() > limits.maxSpecChars()) {
            throw new ApiException(
                    413,
                    "spec_too_large",
                    "The spec is " + yaml.length() + " characters long; this server takes at most "
                            + limits.maxSpecChars());
        }
        Map<String, String> labels = labels(body.get("metadata"));
        LoadedSpec spec = name != null ? specs.named(name) : specs.inline(yaml);
        String task = Json.text(body, "task");
        if (task == null) {
            task = spec.scenario().task();
        }
        if (task == null || task.isBlank()) {
            throw ApiException.badRequest("task_missing", "No task: give \"task\", or a spec whose file has 'task:'");
        }
        shelf.stock(spec);
        TeamSpec team = guards.team(spec); // the spec's guardrails, as 'troupe run' builds them
        Map<String, String> metadata = new LinkedHashMap<>(labels);
        metadata.putAll(Specs.metadata(spec));
        RunHandle run;
        try {
            run = node.run(team, task, metadata);
        } catch (ConfigurationException e) {
            throw SpecShelf.invalid(e, spec.origin());
        }
        Instant startedAt = Waits.await(run.started(), Waits.JOURNAL, "starting the run");
        RunSummary summary = new RunSummary(
                run.conversationId(),
                spec.scenario().team().name(),
                RunStatus.RUNNING,
                startedAt,
                null,
                null,
                Usage.ZERO,
                null,
                null,
                metadata);
        ObjectNode json = EventJson.run(summary, base(ctx));
        ctx.status(201).header("Location", json.get("links").get("self").asText());
        ctx.json(json);
    }

    private static Map<String, String> labels(@Nullable JsonNode metadata) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (metadata == null || metadata.isNull()) {
            return labels;
        }
        if (!metadata.isObject()) {
            throw ApiException.badRequest(
                    "invalid_field", "'metadata' must be an object of strings, not " + Json.describe(metadata));
        }
        if (metadata.size() > MAX_LABELS) {
            throw ApiException.badRequest(
                    "invalid_field", "'metadata' has " + metadata.size() + " entries; at most " + MAX_LABELS);
        }
        for (Map.Entry<String, JsonNode> entry : metadata.properties()) {
            String key = entry.getKey();
            if (!LABEL.matcher(key).matches() || key.startsWith("troupe.")) {
                throw ApiException.badRequest(
                        "invalid_field",
                        "metadata key '" + key + "' must match " + LABEL.pattern()
                                + " and not start with 'troupe.', which the server keeps for itself");
            }
            if (!entry.getValue().isTextual() || entry.getValue().asText().length() > MAX_LABEL_VALUE) {
                throw ApiException.badRequest(
                        "invalid_field",
                        "metadata '" + key + "' must be a string of at most " + MAX_LABEL_VALUE + " characters");
            }
            labels.put(key, entry.getValue().asText());
        }
        return labels;
    }

    /** {@code GET /api/runs?status=&team=&spec=&parent=&limit=&page=}: newest first. */
    void list(Context ctx) {
        Set<RunStatus> statuses = statuses(ctx.queryParam("status"));
        String team = ctx.queryParam("team");
        String spec = ctx.queryParam("spec");
        String parent = ctx.queryParam("parent");
        int limit = intParam(ctx, "limit", 50, 1, 500);
        Cursor after = Cursor.parse(ctx.queryParam("page"));
        // One more than the page, to know whether there is a next one.
        List<RunSummary> runs = node.runs(
                run -> statuses.contains(run.status())
                        && (team == null || team.equals(run.team()))
                        && (spec == null || spec.equals(run.metadata().get(Specs.SPEC)))
                        && parentMatches(parent, run.parentConversationId())
                        && (after == null || after.before(run)),
                limit + 1);
        ArrayNode page = EventJson.array();
        RunSummary last = null;
        boolean more = runs.size() > limit;
        for (RunSummary run : runs.subList(0, Math.min(limit, runs.size()))) {
            page.add(EventJson.run(resumer.annotate(run), base(ctx)));
            last = run;
        }
        ObjectNode json = Json.object();
        json.set("runs", page);
        json.put("next", more && last != null ? Cursor.of(last) : null);
        ctx.json(json);
    }

    private static boolean parentMatches(@Nullable String parent, @Nullable String actual) {
        if (parent == null || parent.equals("none")) {
            return actual == null;
        }
        return parent.equals("any") || parent.equals(actual);
    }

    private static Set<RunStatus> statuses(@Nullable String text) {
        if (text == null || text.isBlank()) {
            return EnumSet.allOf(RunStatus.class);
        }
        Set<RunStatus> statuses = EnumSet.noneOf(RunStatus.class);
        for (String part : text.split(",")) {
            try {
                statuses.add(RunStatus.valueOf(part.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(
                        "invalid_parameter",
                        "status '" + part.strip() + "' is not one of " + EnumSet.allOf(RunStatus.class));
            }
        }
        return statuses;
    }

    static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String text = ctx.queryParam(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value < min || value > max) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(
                    "invalid_parameter",
                    name + " must be a whole number from " + min + " to " + max + ", got '" + text + "'");
        }
    }

    /** A position in the list, newest first: the last run of a page. */
    private record Cursor(Instant startedAt, String id) {
        static @Nullable Cursor parse(@Nullable String token) {
            if (token == null || token.isBlank()) {
                return null;
            }
            try {
                String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                return new Cursor(Instant.parse(text.substring(0, bar)), text.substring(bar + 1));
            } catch (RuntimeException e) {
                throw ApiException.badRequest(
                        "invalid_parameter", "page '" + token + "' is not a page token from a 'next' field");
            }
        }

        static String of(RunSummary run) {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((run.startedAt() + "|" + run.conversationId()).getBytes(StandardCharsets.UTF_8));
        }

        /** Whether {@code run} comes after this position. */
        boolean before(RunSummary run) {
            int byTime = run.startedAt().compareTo(startedAt);
            return byTime < 0 || (byTime == 0 && run.conversationId().compareTo(id) > 0);
        }
    }

    /** {@code GET /api/runs/{id}}. */
    void get(Context ctx) {
        Transcript transcript = transcript(ctx.pathParam("id"));
        ctx.json(EventJson.run(summary(transcript), base(ctx)));
    }

    private RunSummary summary(Transcript transcript) {
        return Transcripts.summary(transcript, resumer.waitingFor(transcript.conversationId()));
    }

    /** {@code POST /api/runs/{id}/cancel} with an optional {@code {"reason": text}}. */
    void cancel(Context ctx) {
        String id = ctx.pathParam("id");
        ObjectNode body = Json.body(ctx, limits.maxBodyBytes(), true);
        Json.onlyFields(body, Set.of("reason"), "a cancel takes an optional \"reason\"");
        String reason = Json.text(body, "reason");
        if (reason != null && reason.length() > MAX_REASON_CHARS) {
            throw ApiException.badRequest(
                    "invalid_field", "'reason' takes at most " + MAX_REASON_CHARS + " characters");
        }
        Transcript transcript = transcript(id);
        RunSummary before = summary(transcript);
        if (before.status().isFinished()) {
            throw new ApiException(
                    409,
                    "run_finished",
                    "Run " + id + " has already ended (" + before.status() + "); there is nothing to cancel");
        }
        RunHandle run = node.attach(id);
        try {
            run.cancel(reason == null || reason.isBlank() ? "cancelled through the API" : reason)
                    .toCompletableFuture()
                    .get(CANCEL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            ctx.status(202); // the cancel is on its way: the run ends once its entity journals it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ApiException(503, "journal_unavailable", "Cancelling run " + id + " failed: " + e.getCause());
        }
        ctx.json(EventJson.run(summary(transcript(id)), base(ctx)));
    }

    /** {@code GET /api/runs/{id}/events?from=1&limit=1000}: the run's journal events from position {@code from}. */
    void events(Context ctx) {
        String id = ctx.pathParam("id");
        int from = intParam(ctx, "from", 1, 1, Integer.MAX_VALUE);
        int limit = intParam(ctx, "limit", 1000, 1, 10_000);
        Transcript transcript = transcript(id);
        List<JournalEvent> events = transcript.events();
        StringBuilder json = new StringBuilder(256 * Math.min(limit, events.size()) + 64);
        json.append("{\"run\":").append(EventJson.quote(id)).append(",\"events\":[");
        int end = Math.min(events.size(), from - 1 + limit);
        for (int i = from - 1; i < end; i++) {
            if (i > from - 1) {
                json.append(',');
            }
            json.append(EventJson.event(i + 1, id, transcript.timeOf(i).orElse(null), events.get(i)));
        }
        boolean finished = !events.isEmpty() && events.getLast() instanceof JournalEvent.RunFinished;
        json.append("],\"next\":")
                .append(Math.max(from, end + 1))
                .append(",\"total\":")
                .append(events.size())
                .append(",\"finished\":")
                .append(finished)
                .append('}');
        ctx.contentType("application/json").result(json.toString());
    }

    /**
     * The run's journal.
     *
     * @throws ApiException 404 {@code run_not_found}
     */
    Transcript transcript(String id) {
        if (id.length() > 128) {
            throw ApiException.notFound("run_not_found", "There is no run with that id; run ids are UUIDs");
        }
        Transcript transcript = Waits.await(node.replay(id), Waits.JOURNAL, "reading run " + id);
        if (!transcript.exists()) {
            throw ApiException.notFound(
                    "run_not_found",
                    "There is no run with id '" + id + "' in this server's journal; GET /api/runs lists the runs");
        }
        return transcript;
    }

    /** The server's address as the client reached it, for links. */
    static String base(Context ctx) {
        String host = ctx.header("Host");
        boolean plain = host != null && HOST.matcher(host).matches();
        return ctx.scheme() + "://" + (plain ? host : "localhost");
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\[\\]:-]{1,255}");
}

package io.troupe.server;

import io.javalin.http.Context;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.ChildEvent;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.TokenDelta;
import io.troupe.api.run.Transcript;
import io.troupe.runtime.TroupeNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * {@code GET /api/runs/{id}/stream}: a run's events as server-sent events, from the journal and then live, with the
 * events of its child runs and the tokens models stream.
 *
 * <ul>
 *   <li>{@code event: journal}: a journal event of the run or of a child run, as {@link EventJson#event}; its {@code
 *       id} is a {@link StreamCursor}, so a client that reconnects with {@code Last-Event-ID} gets every event after
 *       it, none twice, whichever node it reaches.
 *   <li>{@code event: token}: a token a model streamed; tokens are not journaled and carry no id. After a
 *       reconnection, the tokens of a model call still streaming may come again from the call's start; the call's
 *       {@code LlmCompleted} holds its whole text. {@code ?tokens=false} leaves them out. A run whose guardrails check
 *       answers (PII redaction on answers, the canary, links) streams no tokens: they are the raw answer, before the
 *       guardrails; its answers come as the journaled, checked {@code LlmCompleted}.
 *   <li>{@code event: end}: the run and its children have ended; the data holds the outcome. The server then closes
 *       the stream, and answers a reconnection from the end with 204, which tells EventSource clients to stop.
 * </ul>
 *
 * <p>Child runs are followed through their own journals (as each {@code SubRunRequested} is sent), so their events
 * are numbered and resumable as the run's own. A comment line every 15 s keeps idle connections open and notices
 * clients that left. Each stream holds one request thread (a virtual thread) until it ends or the client leaves.
 */
final class RunStream {
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    private static final int BATCH = 512;

    private final TroupeNode node;
    private final RunRoutes runs;
    private final Predicate<String> withholdsTokens;
    private final BooleanSupplier stopping;

    /**
     * @param withholdsTokens whether a run's streamed tokens must not leave: a guardrail checks its answers, and the
     *     tokens are the raw answer (the journaled {@code LlmCompleted} carries the checked one)
     */
    RunStream(TroupeNode node, RunRoutes runs, Predicate<String> withholdsTokens, BooleanSupplier stopping) {
        this.node = node;
        this.runs = runs;
        this.withholdsTokens = withholdsTokens;
        this.stopping = stopping;
    }

    void handle(Context ctx) throws IOException {
        String id = ctx.pathParam("id");
        StreamCursor cursor = StreamCursor.parse(ctx.header("Last-Event-ID"));
        String from = ctx.queryParam("from");
        if (cursor == null && from != null) {
            cursor = new StreamCursor(RunRoutes.intParam(ctx, "from", 1, 1, Integer.MAX_VALUE) - 1L, Map.of());
        }
        Transcript transcript = runs.transcript(id); // 404 before the stream starts
        if (cursor != null) {
            requireDescendants(transcript, cursor);
        }
        String tokensParameter = ctx.queryParam("tokens");
        if (tokensParameter != null
                && !tokensParameter.equalsIgnoreCase("true")
                && !tokensParameter.equalsIgnoreCase("false")) {
            throw ApiException.badRequest(
                    "invalid_parameter", "tokens must be true or false, got '" + tokensParameter + "'");
        }
        boolean tokens = !"false".equalsIgnoreCase(tokensParameter) && !withholdsTokens.test(id);
        if (cursor != null
                && cursor.children().isEmpty()
                && transcript.outcome().isPresent()
                && cursor.run() >= transcript.events().size()) {
            ctx.status(204); // the client has everything: tell EventSource to stop reconnecting
            return;
        }
        RunHandle root;
        try {
            root = node.attach(id);
        } catch (ConfigurationException e) {
            throw ApiException.notFound("run_not_found", e.getMessage());
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("UTF-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        OutputStream out = new BufferedOutputStream(ctx.res().getOutputStream(), 32 * 1024);
        new Session(id, root, cursor == null ? StreamCursor.START : cursor, tokens, out).run();
    }

    /**
     * Refuses a cursor that names runs other than {@code run}'s children (and theirs): a stream sends the events of
     * the run it is asked for and of the runs it started, never those of an unrelated run, and follows no made-up id.
     * Reads the children's journals only as far as needed to find the cursor's.
     */
    private void requireDescendants(Transcript run, StreamCursor cursor) {
        Set<String> unknown = new HashSet<>(cursor.children().keySet());
        Deque<Transcript> toRead = new ArrayDeque<>(List.of(run));
        while (!unknown.isEmpty() && !toRead.isEmpty()) {
            for (JournalEvent event : toRead.poll().events()) {
                if (unknown.isEmpty()) {
                    break; // every child the cursor names was found: read no further journal
                }
                if (event instanceof JournalEvent.SubRunRequested requested) {
                    unknown.remove(requested.childConversationId());
                    Transcript child = Waits.await(
                            node.replay(requested.childConversationId()),
                            Waits.JOURNAL,
                            "reading run " + requested.childConversationId());
                    if (child.exists()) {
                        toRead.add(child);
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw StreamCursor.invalid(cursor.format());
        }
    }

    /** What the sources put on a session's queue. */
    private sealed interface Item {
        String run();
    }

    private record Event(String run, RunEvent event) implements Item {}

    private record Done(String run, @Nullable Throwable failure) implements Item {}

    /** One run followed by a session: its subscription and how many of its journal events went by. */
    private static final class Source {
        final long skip;
        long seen;
        long consumed;
        boolean done;
        volatile @Nullable RunHandle handle;
        volatile Flow.@Nullable Subscription subscription;

        Source(long skip) {
            this.skip = skip;
        }
    }

    /** One client's stream. The request thread does all the writing and bookkeeping; sources only enqueue. */
    private final class Session {
        private final String rootId;
        private final RunHandle root;
        private final boolean tokens;
        private final OutputStream out;
        private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
        private final Map<String, Source> sources = new HashMap<>();
        private long rootSeen;
        private final Map<String, Long> children = new LinkedHashMap<>();

        Session(String rootId, RunHandle root, StreamCursor cursor, boolean tokens, OutputStream out) {
            this.rootId = rootId;
            this.root = root;
            this.tokens = tokens;
            this.out = out;
            this.rootSeen = cursor.run();
            follow(rootId, root, cursor.run());
            cursor.children().forEach((child, count) -> {
                children.put(child, count);
                follow(child, null, count);
            });
        }

        void run() throws IOException {
            try {
                write("retry: 2000\n\n");
                out.flush();
                int unflushed = 0;
                while (!stopping.getAsBoolean()) {
                    Item item = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                    if (item == null) {
                        write(": keep-alive\n\n");
                        out.flush();
                        continue;
                    }
                    if (handle(item)) {
                        out.flush();
                        return;
                    }
                    if (++unflushed >= 256 || queue.isEmpty()) {
                        out.flush();
                        unflushed = 0;
                    }
                }
            } catch (IOException e) {
                // the client left: nothing to answer
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                sources.values().forEach(source -> {
                    Flow.Subscription subscription = source.subscription;
                    if (subscription != null) {
                        subscription.cancel();
                    }
                });
            }
        }

        /** Handles one item; true when the stream is over. */
        private boolean handle(Item item) throws IOException {
            Source source = sources.get(item.run());
            switch (item) {
                case Done done -> {
                    source.done = true;
                    if (done.failure() != null) {
                        frame(
                                null,
                                "error",
                                "{\"run\":" + EventJson.quote(done.run()) + ",\"message\":"
                                        + EventJson.quote(
                                                String.valueOf(done.failure().getMessage())) + "}");
                        return true;
                    }
                    if (sources.values().stream().allMatch(s -> s.done)) {
                        Outcome outcome = root.outcome().toCompletableFuture().getNow(null);
                        frame(
                                null,
                                "end",
                                "{\"run\":" + EventJson.quote(rootId) + ",\"outcome\":"
                                        + (outcome == null ? "null" : Json.write(EventJson.outcome(outcome))) + "}");
                        return true;
                    }
                }
                case Event event -> {
                    consumed(source);
                    switch (event.event()) {
                        case JournalEvent journaled -> journal(event.run(), source, journaled);
                        case TokenDelta token -> {
                            if (tokens && source.seen >= source.skip) {
                                frame(null, "token", EventJson.token(event.run(), token));
                            }
                        }
                        case ChildEvent child -> {} // children are followed through their own journals
                    }
                }
            }
            return false;
        }

        private void journal(String run, Source source, JournalEvent event) throws IOException {
            long seq = ++source.seen;
            if (seq <= source.skip) {
                return; // the client has it
            }
            if (run.equals(rootId)) {
                rootSeen = seq;
            } else {
                children.put(run, seq);
            }
            if (event instanceof JournalEvent.SubRunRequested requested
                    && !sources.containsKey(requested.childConversationId())) {
                children.put(requested.childConversationId(), 0L);
                follow(requested.childConversationId(), null, 0);
            }
            if (event instanceof JournalEvent.RunFinished && !run.equals(rootId)) {
                children.remove(run);
            }
            RunHandle handle = source.handle;
            Instant at = handle == null ? null : handle.journaledAt(seq - 1).orElse(null);
            frame(new StreamCursor(rootSeen, children).format(), "journal", EventJson.event(seq, run, at, event));
        }

        private void consumed(Source source) {
            Flow.Subscription subscription = source.subscription;
            if (++source.consumed % (BATCH / 2) == 0 && subscription != null) {
                subscription.request(BATCH / 2);
            }
        }

        /** Subscribes to {@code run}'s events (attaching to it unless {@code handle} is given). */
        private void follow(String run, @Nullable RunHandle handle, long skip) {
            Source source = new Source(skip);
            sources.put(run, source);
            Thread.ofVirtual().name("troupe-stream-" + run).start(() -> {
                RunHandle followed = handle;
                for (int attempt = 0; followed == null; attempt++) {
                    try {
                        followed = node.attach(run);
                    } catch (ConfigurationException e) {
                        // A child that its parent asked for but has not started yet: it will be soon.
                        if (attempt >= 40) {
                            queue.add(new Done(run, null));
                            return;
                        }
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException interrupted) {
                            return;
                        }
                    }
                }
                source.handle = followed;
                followed.events().subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription subscription) {
                        source.subscription = subscription;
                        subscription.request(BATCH);
                    }

                    @Override
                    public void onNext(RunEvent event) {
                        queue.add(new Event(run, event));
                    }

                    @Override
                    public void onError(Throwable failure) {
                        queue.add(new Done(run, failure));
                    }

                    @Override
                    public void onComplete() {
                        queue.add(new Done(run, null));
                    }
                });
            });
        }

        private void frame(@Nullable String id, String event, String data) throws IOException {
            StringBuilder frame = new StringBuilder(data.length() + 64);
            if (id != null) {
                frame.append("id: ").append(id).append('\n');
            }
            frame.append("event: ").append(event).append('\n');
            frame.append("data: ").append(data).append("\n\n");
            write(frame.toString());
        }

        private void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}

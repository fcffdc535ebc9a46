package io.troupe.runtime;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolResult;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;

/**
 * The team, script and side-effecting tool of {@link DurableConversationIT}, and the main class of the child JVM
 * that the test kills.
 *
 * <p>A three-agent pipeline; each agent calls {@code record_effect} once and then answers. Model calls, in order:
 * researcher (tool call, answer), writer (tool call, answer), publisher (tool call, answer).
 */
final class DurableFixture {
    static final String KILL_POINT = "KILL-POINT";
    static final String RUN = "RUN";

    /** Where the child stops so that the test can kill it. */
    enum Scenario {
        /** Once the 2nd model call's completion is journaled; the 3rd call is then in flight. */
        AFTER_SECOND_MODEL_STEP,
        /** While the 5th model call (the publisher's first) is in flight: requested, never completed. */
        BETWEEN_REQUESTED_AND_COMPLETED,
        /** While the writer's tool runs, after it performed its effect but before its result is journaled. */
        DURING_TOOL_CALL
    }

    private DurableFixture() {}

    static TeamSpec team() {
        return TeamSpec.builder("newsroom")
                .members(
                        agent("researcher", "You research the facts."),
                        agent("writer", "You write the article."),
                        agent("publisher", "You publish the article."))
                .sequential("researcher", "writer", "publisher")
                .build();
    }

    private static AgentSpec agent(String id, String instructions) {
        return AgentSpec.builder(id)
                .model("m")
                .instructions(instructions)
                .tools("record_effect")
                .build();
    }

    static final String TASK = "An article about clever foxes";

    /** The six model calls of an uninterrupted run, as (match, reply) pairs. */
    static List<Object[]> script() {
        return List.of(
                new Object[] {Match.system("research"), Reply.toolCall("record_effect", "{\"effect\":\"research\"}")},
                new Object[] {Match.afterTool("record_effect"), Reply.text("Findings: foxes are clever.")},
                new Object[] {Match.system("write"), Reply.toolCall("record_effect", "{\"effect\":\"draft\"}")},
                new Object[] {Match.afterTool("record_effect"), Reply.text("Draft: a clever fox.")},
                new Object[] {Match.system("publish"), Reply.toolCall("record_effect", "{\"effect\":\"publish\"}")},
                new Object[] {Match.afterTool("record_effect"), Reply.text("Published: a clever fox.")});
    }

    /** A model that answers calls {@code from} (0-based) to the end of the script. */
    static ScriptedModel model(int from) {
        ScriptedModel model = new ScriptedModel();
        for (Object[] step : script().subList(from, script().size())) {
            model.on((Match) step[0], (Reply) step[1]);
        }
        return model;
    }

    /**
     * The side-effecting tool. It records every attempt, and performs its effect (a line in {@code effects.log})
     * at most once per idempotency key, as a real tool with side effects must.
     */
    static Tool recordEffect(Path dir, boolean hangAfterDraft) {
        ToolDefinition definition = new ToolDefinition(
                "record_effect",
                "Records a side effect.",
                "{\"type\":\"object\",\"properties\":{\"effect\":{\"type\":\"string\"}},"
                        + "\"required\":[\"effect\"],\"additionalProperties\":false}");
        return Tool.of(definition, invocation -> {
            String effect = invocation.arguments().replaceAll(".*\"effect\"\\s*:\\s*\"([^\"]*)\".*", "$1");
            append(dir.resolve("attempts.log"), invocation.idempotencyKey() + " " + effect);
            synchronized (DurableFixture.class) {
                Path effects = dir.resolve("effects.log");
                boolean done = Files.exists(effects)
                        && Files.readAllLines(effects).stream()
                                .anyMatch(line -> line.startsWith(invocation.idempotencyKey() + " "));
                if (!done) {
                    append(effects, invocation.idempotencyKey() + " " + effect);
                }
            }
            if (hangAfterDraft && effect.equals("draft")) {
                signalAndHang("tool " + invocation.idempotencyKey());
            }
            return ToolResult.ok("recorded " + effect);
        });
    }

    static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(Path file, String line) {
        try {
            Files.writeString(
                    file,
                    line + "\n",
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signalAndHang(String where) {
        signal(where);
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The child JVM: {@code DurableFixture <dir> <scenario> [postgres-url]}. Starts the run and waits to be killed.
     * The journal is an H2 file in {@code dir}, or the PostgreSQL database at the URL given.
     */
    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Scenario scenario = Scenario.valueOf(args[1]);
        ScriptedModel model = new ScriptedModel();
        int calls = switch (scenario) {
            case AFTER_SECOND_MODEL_STEP -> 2;
            case BETWEEN_REQUESTED_AND_COMPLETED -> 4;
            case DURING_TOOL_CALL -> 3;
        };
        List<Object[]> script = script();
        for (int i = 0; i < calls; i++) {
            model.on((Match) script.get(i)[0], (Reply) script.get(i)[1]);
        }
        Match next = (Match) script.get(calls)[0];
        switch (scenario) {
            // The next call answers late; the kill comes first, triggered by the journaled completion below.
            case AFTER_SECOND_MODEL_STEP ->
                model.on(next, ((Reply.Respond) script.get(calls)[1]).after(Duration.ofMinutes(5)));
            case BETWEEN_REQUESTED_AND_COMPLETED -> model.on(next, Reply.hang(() -> signal("model call 5")));
            case DURING_TOOL_CALL -> {}
        }
        Troupe troupe = TroupeRuntime.builder()
                .model("m", model)
                .tool(recordEffect(dir, scenario == Scenario.DURING_TOOL_CALL))
                .journal(args.length > 2 ? Journal.postgres(args[2]) : Journal.h2(dir.resolve("journal")))
                .config("pekko.loglevel = WARNING")
                .start();
        RunHandle run = troupe.run(team(), TASK);
        System.out.println(RUN + " " + run.conversationId());
        System.out.flush();
        if (scenario == Scenario.AFTER_SECOND_MODEL_STEP) {
            run.events().subscribe(new KillPointAfterSecondCompletion());
        }
    }

    private static void signal(String where) {
        System.out.println(KILL_POINT + " " + where);
        System.out.flush();
    }

    /** Signals the kill point when the journal holds the 2nd model call's completion. */
    private static final class KillPointAfterSecondCompletion implements Flow.Subscriber<RunEvent> {
        private int completions;

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(RunEvent event) {
            if (event instanceof JournalEvent.LlmCompleted completed && ++completions == 2) {
                signal("after model step " + completed.step());
            }
        }

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}
    }
}

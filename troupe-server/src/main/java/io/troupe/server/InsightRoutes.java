package io.troupe.server;

import io.javalin.http.Context;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.explain.ExplainJson;
import io.troupe.explain.Explainer;
import io.troupe.explain.RunDiff;
import io.troupe.explain.RunExplanation;
import io.troupe.explain.RunState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Explanations of runs for the web console and other clients, computed on the server from the journal alone
 * (troupe-explain), so that every client shows the same answers as {@code troupe explain}:
 *
 * <ul>
 *   <li>{@code GET /api/runs/{id}/state?at=k}: the run as it stood after its first {@code k} events ({@link
 *       RunState}), what the console's scrubber shows;
 *   <li>{@code GET /api/runs/{id}/explain?at=k}: why each decision was taken, what was blocked, why the run stopped
 *       ({@link RunExplanation}), or only the explanations of event {@code k};
 *   <li>{@code GET /api/runs/{id}/diff?with=other}: the two runs aligned, their first divergence and each agent's
 *       figures in both ({@link RunDiff}).
 * </ul>
 *
 * <p>Finished runs never change, so their journals are kept in a small cache: a scrubber that moves over a long run
 * folds the cached events instead of reading the journal again at every step. Thread-safe.
 */
final class InsightRoutes {
    private static final int CACHED_RUNS = 8;

    private final RunRoutes runs;
    private final Map<String, Transcript> finished = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Transcript> eldest) {
            return size() > CACHED_RUNS;
        }
    };

    InsightRoutes(RunRoutes runs) {
        this.runs = runs;
    }

    /** {@code GET /api/runs/{id}/state?at=k}. */
    void state(Context ctx) {
        Transcript transcript = transcript(ctx.pathParam("id"));
        int total = transcript.events().size();
        int at = RunRoutes.intParam(ctx, "at", total, 0, total);
        json(ctx, ExplainJson.write(RunState.fold(transcript.conversationId(), transcript.events(), at)));
    }

    /** {@code GET /api/runs/{id}/explain?at=k}. */
    void explain(Context ctx) {
        Transcript transcript = transcript(ctx.pathParam("id"));
        RunExplanation explanation = Explainer.explain(transcript);
        if (ctx.queryParam("at") != null) {
            int at = RunRoutes.intParam(
                    ctx, "at", 1, 1, Math.max(1, transcript.events().size()));
            explanation = new RunExplanation(
                    explanation.conversationId(),
                    explanation.team(),
                    explanation.mechanism(),
                    explanation.events(),
                    explanation.at(at),
                    explanation.took(),
                    explanation.calls().stream()
                            .filter(call -> call.seq() == at)
                            .toList());
        }
        json(ctx, ExplainJson.write(explanation));
    }

    /** {@code GET /api/runs/{id}/diff?with=other}. */
    void diff(Context ctx) {
        String other = ctx.queryParam("with");
        if (other == null || other.isBlank()) {
            throw ApiException.badRequest(
                    "with_missing", "Name the run to compare with: GET /api/runs/{id}/diff?with=OTHER_RUN_ID");
        }
        Transcript left = transcript(ctx.pathParam("id"));
        Transcript right = transcript(other.strip());
        json(ctx, ExplainJson.write(RunDiff.of(left, right)));
    }

    private Transcript transcript(String id) {
        synchronized (finished) {
            Transcript cached = finished.get(id);
            if (cached != null) {
                return cached;
            }
        }
        Transcript transcript = runs.transcript(id);
        if (!transcript.events().isEmpty() && transcript.events().getLast() instanceof JournalEvent.RunFinished) {
            synchronized (finished) {
                finished.put(id, transcript);
            }
        }
        return transcript;
    }

    private static void json(Context ctx, String body) {
        ctx.contentType("application/json").result(body);
    }
}

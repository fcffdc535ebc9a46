package io.troupe.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The words of hints: an example line for each key, and the likely intended name for a misspelled one. */
final class Hints {
    private static final Map<String, String> EXAMPLES = Map.ofEntries(
            Map.entry("troupe", "troupe: 1"),
            Map.entry("models", "models: { tiny: { provider: llamacpp, model: stories260K } }"),
            Map.entry("agents", "agents: [{ id: writer, model: tiny }]"),
            Map.entry("name", "name: story-workshop"),
            Map.entry("task", "task: \"Once upon a time\""),
            Map.entry("runtime", "runtime: { max-runs-in-flight: 200, max-queued-runs: 50, max-queue-wait: 10s }"),
            Map.entry("max-runs-in-flight", "max-runs-in-flight: 200"),
            Map.entry("max-queued-runs", "max-queued-runs: 50"),
            Map.entry("max-queue-wait", "max-queue-wait: 10s"),
            Map.entry("provider", "provider: llamacpp"),
            Map.entry("model", "model: tiny"),
            Map.entry("base-url", "base-url: http://localhost:8080/v1"),
            Map.entry("url", "url: http://localhost:8081/a2a"),
            Map.entry("api-key", "api-key: ${OPENAI_API_KEY}"),
            Map.entry("id", "id: writer"),
            Map.entry("role", "role: author"),
            Map.entry("instructions", "instructions: \"Continue the story.\""),
            Map.entry("tools", "tools: [search]"),
            Map.entry("delegates", "delegates: [writer]"),
            Map.entry("window", "window: 20"),
            Map.entry("max-iterations", "max-iterations: 10"),
            Map.entry("tokens", "tokens: 20000"),
            Map.entry("cost", "cost: 0.50"),
            Map.entry("turns", "turns: 10"),
            Map.entry("wall", "wall: 2m"),
            Map.entry("mechanism", "mechanism: sequential"),
            Map.entry("order", "order: [writer, editor]"),
            Map.entry("manager", "manager: lead"),
            Map.entry("workers", "workers: [writer, editor]"),
            Map.entry("capabilities", "capabilities: [translate, python]"),
            Map.entry("team", "team: { agents: [{ id: scout, model: tiny }], team: { mechanism: sequential } }"),
            Map.entry("combiner", "combiner: editor"),
            Map.entry("members", "members: [writer, critic]"),
            Map.entry("selection", "selection: round-robin"),
            Map.entry("selector", "selector: moderator"),
            Map.entry("rules", "rules: [{ after: writer, contains: \"review\", next: critic }]"),
            Map.entry("after", "after: writer"),
            Map.entry("contains", "contains: \"review\""),
            Map.entry("next", "next: critic"),
            Map.entry("max-turns", "max-turns: 10"),
            Map.entry("terminate-on", "terminate-on: DONE"),
            Map.entry("entry", "entry: triage"),
            Map.entry("routes", "routes: { triage: [billing, tech], billing: [triage] }"),
            Map.entry("history", "history: 2"),
            Map.entry("max-handoffs", "max-handoffs: 5"),
            Map.entry("eligible", "eligible: { role: writer }"),
            Map.entry("bidders", "bidders: { role: writer }"),
            Map.entry("capability", "capability: translate"),
            Map.entry("scoring", "scoring: lowest-cost"),
            Map.entry("judge", "judge: referee"),
            Map.entry("bid-deadline", "bid-deadline: 60s"),
            Map.entry("on-failure", "on-failure: next-best"),
            Map.entry("max-awards", "max-awards: 3"),
            Map.entry("max-rounds", "max-rounds: 5"),
            Map.entry("increment", "increment: 1"),
            Map.entry("reserve", "reserve: 0.50"),
            Map.entry("debaters", "debaters: [optimist, skeptic]"),
            Map.entry("rounds", "rounds: 2"),
            Map.entry("verdict", "verdict: majority"),
            Map.entry("voters", "voters: [optimist, skeptic]"),
            Map.entry("weights", "weights: { optimist: 2 }"),
            Map.entry("sources", "sources: [{ agent: planner, triggers: [task], writes: outline }]"),
            Map.entry("agent", "agent: planner"),
            Map.entry("triggers", "triggers: [task]"),
            Map.entry("writes", "writes: outline"),
            Map.entry("goal", "goal: final"),
            Map.entry("max-activations", "max-activations: 20"),
            Map.entry("retries", "retries: { attempts: 4, backoff: 500ms, max-backoff: 30s }"),
            Map.entry("attempts", "attempts: 4"),
            Map.entry("backoff", "backoff: 500ms"),
            Map.entry("max-backoff", "max-backoff: 30s"),
            Map.entry("timeout", "timeout: 60s"),
            Map.entry("circuit-breaker", "circuit-breaker: { failures: 5, open-for: 30s }"),
            Map.entry("failures", "failures: 5"),
            Map.entry("open-for", "open-for: 30s"),
            Map.entry("fallback", "fallback: [local]"),
            Map.entry("prices", "prices: { input: 0.15, output: 0.60 }"),
            Map.entry("rate-limit", "rate-limit: { requests-per-minute: 500, tokens-per-minute: 200000 }"),
            Map.entry("requests-per-minute", "requests-per-minute: 500"),
            Map.entry("tokens-per-minute", "tokens-per-minute: 200000"),
            Map.entry("input", "input: 0.15"),
            Map.entry("output", "output: 0.60"),
            Map.entry("temperature", "temperature: 0.7"),
            Map.entry("max-tokens", "max-tokens: 512"),
            Map.entry("context-size", "context-size: 4096"),
            Map.entry("threads", "threads: 4"),
            Map.entry("seed", "seed: 42"));

    private Hints() {}

    /** An example line for {@code key}, as a spec would write it. */
    static String example(String key) {
        return EXAMPLES.getOrDefault(key, key + ": ...");
    }

    /** The candidate closest to {@code word}, if it is close enough to be a typo of it. */
    static @Nullable String nearest(String word, Collection<String> candidates) {
        int limit = Math.max(2, word.length() / 3);
        return candidates.stream()
                .filter(c -> distance(word, c) <= limit)
                .min(Comparator.comparingInt(c -> distance(word, c)))
                .orElse(null);
    }

    /** A hint for a name that is not among {@code defined}: the likely typo, then the full list. */
    static String unknownNameHint(String word, Collection<String> defined, String kind) {
        String list = defined.isEmpty() ? "none are defined" : "defined " + kind + " are " + String.join(", ", defined);
        String near = nearest(word, defined);
        return near == null ? list : didYouMean(word, near) + " " + list;
    }

    /**
     * "did you mean 'near'?", and, when {@code word} has a character outside ASCII that {@code near} has not (a
     * Cyrillic 'а' that looks like a Latin 'a', a non-breaking space), which one: the two would print alike.
     */
    static String didYouMean(String word, String near) {
        String hint = "did you mean '" + near + "'?";
        for (int i = 0; i < word.length(); ) {
            int c = word.codePointAt(i);
            if (c > 0x7E && near.indexOf(c) < 0) {
                return hint + " ('" + word
                        + "' has the character U+%04X %s at position %d, not an ASCII letter)"
                                .formatted(c, Character.getName(c), word.codePointCount(0, i) + 1);
            }
            i += Character.charCount(c);
        }
        return hint;
    }

    /** Levenshtein distance, case-insensitive. */
    static int distance(String a, String b) {
        String x = a.toLowerCase(java.util.Locale.ROOT);
        String y = b.toLowerCase(java.util.Locale.ROOT);
        int[] previous = new int[y.length() + 1];
        int[] current = new int[y.length() + 1];
        for (int j = 0; j <= y.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= x.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= y.length(); j++) {
                int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[y.length()];
    }
}

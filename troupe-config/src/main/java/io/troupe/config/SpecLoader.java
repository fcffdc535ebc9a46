package io.troupe.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Reads a team spec written in YAML into a {@link ScenarioSpec}. Every mistake in the file is reported at once, in
 * a {@link SpecException} whose problems each name a {@code file:line:column} and a hint.
 *
 * <p>The format, version 1 (every key is shown; those marked optional have the default given):
 *
 * <pre>{@code
 * troupe: 1                      # the format version; required
 * name: story-workshop           # required; also the team's name
 * models:                        # required: the models agents may use, by a name of your choice
 *   tiny: { provider: llamacpp, model: stories260K }
 *   gpt:
 *     provider: openai           # llamacpp, openai, anthropic or ollama
 *     model: gpt-4o-mini
 *     base-url: https://api.openai.com/v1   # optional: the provider's default
 *     api-key: ${OPENAI_API_KEY} # optional: only ${VARIABLE} references, never a literal key
 * agents:                        # required, at least one
 *   - id: writer                 # required, unique
 *     role: author               # optional: the id
 *     model: tiny                # required: a name under 'models'
 *     instructions: "Continue the story."   # optional: ""
 *     tools: [search]            # optional: none
 *     memory: { window: 20 }     # optional: 20 earlier entries
 *     permissions: { tools: ["*"], delegates: ["*"] }   # optional: everything
 *     budget: { turns: 5 }       # optional: only the run's budget; unset limits come from the run's budget
 *     max-iterations: 10         # optional: 10
 *     capabilities: [translate]  # optional: none; markets can select bidders by capability
 *   - id: research               # a member that is a whole team: 'team' instead of 'model'
 *     role: researcher           # optional: the id; 'capabilities' may be given too, no other agent key
 *     team:                      # its own agents (ids unique within it), mechanism and budget; named after the id
 *       agents: [{ id: scout, model: tiny }, { id: summarizer, model: tiny }]
 *       team: { mechanism: sequential }    # optional, as below
 *       budget: { turns: 4 }     # optional: unset limits come from the enclosing team's budget
 * team: { mechanism: sequential, order: [writer, editor] }   # optional: sequential in the order of 'agents'
 * #     { mechanism: manager-workers, manager: lead, workers: [writer, editor] }
 * #     { mechanism: parallel, workers: [a, b], combiner: c }            # combiner optional
 * #     { mechanism: group-chat, members: [a, b, c], selection: round-robin,   # or llm (+ selector: s), or rules
 * #       rules: [{ after: a, contains: "review", next: b }], max-turns: 10, terminate-on: DONE }
 * #     { mechanism: handoff, entry: triage, routes: { triage: [billing, tech], billing: [triage] },
 * #       history: 2, max-handoffs: 5 }
 * #     { mechanism: contract-net, eligible: { role: writer },   # or { capability: x } or { agents: [a, b] }
 * #       scoring: lowest-cost, bid-deadline: 60s, on-failure: next-best, max-awards: 3, manager: lead }
 * #       # scoring: best-value, or llm-judge with judge: j; on-failure: reauction
 * #     { mechanism: vickrey-auction, bidders: { role: writer }, bid-deadline: 60s, reserve: 0 }
 * #       # or first-price-auction; english-auction also takes max-rounds: 5 and increment: 1
 * #     { mechanism: debate, debaters: [a, b], rounds: 2, verdict: majority }   # or judge (+ judge: j),
 * #       # or weighted (+ weights: { a: 2 }); voters: [..] defaults to the debaters
 * #     { mechanism: blackboard, sources: [{ agent: planner, triggers: [task], writes: outline }, ...],
 * #       goal: final, max-activations: 20 }
 * budget: { tokens: 20000, cost: 0.50, turns: 10, wall: 2m }   # optional; unset limits take Budget.DEFAULT's
 * task: "Once upon a time"       # optional: the caller supplies it
 * runtime: { max-runs-in-flight: 200, max-queued-runs: 50, max-queue-wait: 10s }   # optional: the runtime's
 * #   admission limits (defaults 10,000, 10,000 and 30s); command-line options override them
 * }</pre>
 *
 * <p>In the mechanisms above, {@code selection}, {@code max-turns}, {@code history}, {@code max-handoffs},
 * {@code scoring}, {@code bid-deadline}, {@code on-failure}, {@code max-awards}, {@code max-rounds},
 * {@code increment}, {@code reserve}, {@code rounds}, {@code verdict} and {@code max-activations} are optional and
 * default to the values shown; {@code combiner}, {@code terminate-on}, {@code manager} and {@code voters} are
 * optional too. Every agent a mechanism names must be defined in the same team. Decimals ({@code reserve},
 * {@code increment}, {@code weights}) is read exactly, as written. Nothing is coerced: {@code turns: "10"} is a string and an error. Durations are a number with a unit
 * ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, {@code 1h30m}). In a flow mapping ({@code { ... }}), quote an
 * API key reference ({@code api-key: "${OPENAI_API_KEY}"}), since YAML reads braces there as structure. An API
 * key variable must be set only if an agent uses that model; its value is never stored or printed.
 *
 * <p>Thread-safe: every call reads independently.
 */
public final class SpecLoader {
    private SpecLoader() {}

    /**
     * Reads {@code file}, resolving {@code ${VAR}} references against the process environment and relative {@code
     * adapter:} paths against the file's folder.
     */
    public static ScenarioSpec load(Path file) {
        return load(file, System::getenv);
    }

    /** Reads {@code file}, resolving {@code ${VAR}} references with {@code env} and adapters as {@link #load(Path)}. */
    public static ScenarioSpec load(Path file, Function<String, @Nullable String> env) {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new SpecException(List.of(new Problem(
                        file.toString(), 0, 0, "is a directory, not a spec file", "give the path of a .yaml file")));
            }
            // Far too large to read: refused by its size, or, for a pipe or a device whose size is unknown (0), once
            // that much has been read. Smaller ones are read and get a position.
            long limit = 64L * YamlLimits.MAX_CHARS;
            long size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                bytes = size > limit ? null : in.readNBytes((int) limit + 1);
            }
            if (bytes == null || bytes.length > limit) {
                throw new SpecException(List.of(new Problem(
                        file.toString(),
                        0,
                        0,
                        (size > limit ? "the file is " + size + " bytes long" : "it goes on past " + limit + " bytes")
                                + "; a spec may be at most " + YamlLimits.MAX_CHARS + " characters",
                        "check that this is the spec you meant; keep documents out of specs")));
            }
        } catch (IOException e) {
            throw new SpecException(List.of(new Problem(
                    file.toString(), 0, 0, "cannot read the spec: " + describe(e), "check the path and permissions")));
        }
        List<Problem> problems = new ArrayList<>();
        String text = SpecText.decode(bytes, file.toString(), problems);
        if (text == null) {
            throw new SpecException(problems);
        }
        return parse(text, file.toString(), env).withAdaptersRelativeTo(folder(file));
    }

    /** The folder {@code file} is in, against which a spec's relative paths resolve. */
    static Path folder(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent != null ? parent : Path.of("").toAbsolutePath();
    }

    /**
     * Parses {@code yaml}, naming {@code fileName} in problems, against the process environment. Relative {@code
     * adapter:} paths stay as written (see {@link ScenarioSpec#withAdaptersRelativeTo}).
     */
    public static ScenarioSpec parse(String yaml, String fileName) {
        return parse(yaml, fileName, System::getenv);
    }

    /**
     * Parses {@code yaml}, naming {@code fileName} in problems and resolving {@code ${VAR}} references with
     * {@code env}.
     *
     * @throws SpecException listing every problem, in file order
     */
    public static ScenarioSpec parse(String yaml, String fileName, Function<String, @Nullable String> env) {
        List<Problem> problems = new ArrayList<>();
        YamlTree.Node root = YamlTree.parse(yaml, fileName, problems);
        ScenarioSpec spec = null;
        if (root != null) {
            Checker check = new Checker(fileName, problems);
            root = new Variables(check, env, yaml).resolve(root);
            spec = new SpecReader(check, env).read(root);
        }
        if (spec == null || !problems.isEmpty()) {
            if (problems.isEmpty()) { // a reader that returns null has reported why; guard against a silent failure
                problems.add(new Problem(fileName, 0, 0, "the spec could not be read", "run 'troupe validate'"));
            }
            problems.sort(Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column));
            throw new SpecException(problems);
        }
        return spec;
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}

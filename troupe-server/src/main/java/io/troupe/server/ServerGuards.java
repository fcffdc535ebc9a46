package io.troupe.server;

import io.troupe.api.TroupeException;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.api.tool.ToolTraits;
import io.troupe.config.GuardrailsConfig;
import io.troupe.guard.Guard;
import io.troupe.guard.injection.InjectionClassifier;
import io.troupe.launch.SpecGuard;
import io.troupe.runtime.Catalog;
import io.troupe.runtime.TroupeRuntime;
import io.troupe.runtime.resilience.RateLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guards of the runs a server starts: each spec's {@code guardrails:} section becomes a {@link Guard} (as {@code
 * troupe run} builds it), and every run, its child runs and its tool calls are guarded by the guard of its team. One
 * runtime serves every spec, so the guards' interceptors are registered once, each as a dispatcher
 * that asks the run's guard; tools come from the {@link SpecShelf} through the run's guard too (which restores personal
 * data for the tools a spec authorises). Runs not started through the API (no spec in their metadata) are not guarded.
 * Thread-safe.
 */
final class ServerGuards implements Catalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServerGuards.class);

    private final Specs specs;
    private final SpecShelf shelf;
    private final @Nullable Path auditDirectory;
    private final Function<String, @Nullable String> env;
    private final AtomicReference<@Nullable Troupe> node = new AtomicReference<>();
    /** The guard of each team name, with the guardrails it was built from; empty for {@code guardrails: off}. */
    private final Map<String, Prepared> byTeam = new ConcurrentHashMap<>();
    /** The guard of each top-level run; empty for a run without a guard. */
    private final Map<String, Optional<Guard>> byRun = new ConcurrentHashMap<>();
    /** The specs ({@link Specs#key}) whose runs this node has prepared: their models, tools and guard are here. */
    private final Set<String> preparedSpecs = ConcurrentHashMap.newKeySet();

    /** A team's guard and what it was built from. */
    private record Prepared(GuardrailsConfig config, boolean trusted, String origin, Optional<Guard> guard) {}

    ServerGuards(Specs specs, SpecShelf shelf, @Nullable Path auditDirectory, Function<String, @Nullable String> env) {
        this.specs = specs;
        this.shelf = shelf;
        this.auditDirectory = auditDirectory;
        this.env = env;
    }

    /**
     * Registers the dispatching interceptors with {@code builder} by name: they apply to the teams that list them
     * ({@link #team}), so that runs without a guard journal no interception of a guard.
     */
    void register(TroupeRuntime.Builder builder) {
        for (String name : Guard.INTERCEPTOR_NAMES) {
            builder.namedInterceptor(name, new Dispatch(name));
        }
    }

    /**
     * {@code spec}'s team as a run starts it: listing the interceptors of its guard (which then apply to its members
     * and its teams), as the journaled team of the run, so that a resumed run is guarded the same way.
     */
    TeamSpec team(LoadedSpec spec) {
        TeamSpec team = spec.scenario().team();
        Optional<Guard> guard = prepare(spec);
        return guard.isEmpty()
                ? team
                : team.withInterceptors(List.copyOf(guard.get().interceptors().keySet()));
    }

    /** Binds the guards to the node they guard, once it has started. */
    void bind(Troupe troupe) {
        node.set(troupe);
        byTeam.values().forEach(prepared -> prepared.guard().ifPresent(g -> g.attach(troupe)));
        if (specs.folder().specs().values().stream()
                .anyMatch(spec -> spec.scenario().guardrails().enabled()
                        && !toolNames(spec).isEmpty())) {
            // The guardrails scan tool results with the classifier by default: load its model now, not while the
            // first run on this node (a run moved here, say) waits for its first tool result.
            Thread.ofVirtual().name("troupe-guard-classifier").start(() -> {
                try {
                    InjectionClassifier.preload();
                } catch (RuntimeException e) {
                    LOG.warn("The injection classifier could not load ({}); the first scan will say so", e.toString());
                }
            });
        }
    }

    /**
     * The guard of {@code spec}'s team, built the first time. The guard is found by the team's name, which every
     * interception names, so that even a run's task (checked before the run is journaled) meets its guard: like a
     * model or tool name, a team name means one set of guardrails on a server.
     *
     * @throws ApiException 409 when another spec runs a team of that name with other guardrails, 422 when the guard
     *     cannot be built (an audit key that is not set, say)
     */
    synchronized Optional<Guard> prepare(LoadedSpec spec) {
        String team = spec.scenario().team().name();
        GuardrailsConfig config = spec.scenario().guardrails();
        Prepared known = byTeam.get(team);
        if (known != null) {
            if (known.config().equals(config) && known.trusted() == spec.trusted()) {
                return known.guard();
            }
            throw new ApiException(
                    409,
                    "spec_conflict",
                    "team '" + team + "' already runs on this server with other guardrails, from " + known.origin()
                            + ". A team name means one set of guardrails on a server: give the team another 'name:'"
                            + " in " + spec.origin() + ", or write the same 'guardrails:'");
        }
        Optional<Guard> guard = build(spec);
        byTeam.put(team, new Prepared(config, spec.trusted(), spec.origin(), guard));
        return guard;
    }

    private Optional<Guard> build(LoadedSpec spec) {
        Guard guard;
        try {
            // An inline spec that is not trusted reads no environment variable, not even as an audit key.
            guard = SpecGuard.build(spec.scenario(), auditDirectory, spec.trusted() ? env : name -> null, this::model);
        } catch (TroupeException e) {
            throw new ApiException(
                    422, "spec_invalid", spec.origin() + " cannot be guarded on this server: " + e.getMessage());
        }
        if (guard == null) {
            return Optional.empty();
        }
        for (String name : toolNames(spec)) {
            shelf.tool(name).ifPresent(guard::wrap); // the sink and approval checks learn the tools' traits
        }
        Troupe troupe = node.get();
        if (troupe != null) {
            guard.attach(troupe);
        }
        return Optional.of(guard);
    }

    private static Set<String> toolNames(LoadedSpec spec) {
        Set<String> names = new LinkedHashSet<>(spec.scenario().tools().keySet());
        collectTools(spec.scenario().team(), names);
        return names;
    }

    private static void collectTools(TeamSpec team, Set<String> names) {
        for (Member member : team.members()) {
            switch (member) {
                case Member.Agent agent -> names.addAll(agent.spec().tools());
                case Member.Subteam subteam -> collectTools(subteam.team(), names);
            }
        }
    }

    /**
     * Whether the streamed tokens of run {@code conversationId} must be withheld: its guard checks answers, so the
     * tokens (the raw answer) would bypass it.
     */
    boolean withholdsTokens(String conversationId) {
        return SpecGuard.withholdsTokens(guardOf(conversationId, null).orElse(null));
    }

    /**
     * The guard of run {@code conversationId}: that of its top-level run's team.
     *
     * @param team the run's team, when the run is a top-level run known by an interception; null to read the
     *     top-level run's team from the journal
     * @throws IllegalStateException if the top-level run's start cannot be read: its interceptions then block (fail
     *     closed)
     */
    Optional<Guard> guardOf(String conversationId, @Nullable String team) {
        int dot = conversationId.indexOf('.');
        String root = dot < 0 ? conversationId : conversationId.substring(0, dot);
        Optional<Guard> known = byRun.get(root);
        if (known != null) {
            return known;
        }
        Optional<Guard> guard;
        if (team != null && root.equals(conversationId)) {
            Prepared prepared = byTeam.get(team);
            guard = prepared == null ? Optional.empty() : prepared.guard();
        } else {
            guard = lookUp(root);
        }
        byRun.putIfAbsent(root, guard);
        return guard;
    }

    /** The guard of top-level run {@code root}, from the start it journaled (a child run or a tool call asks). */
    private Optional<Guard> lookUp(String root) {
        Troupe troupe = node.get();
        if (troupe == null) {
            throw new IllegalStateException("the server's guards are not bound to its node yet");
        }
        Transcript transcript = troupe.replay(root).toCompletableFuture().join();
        if (transcript.events().isEmpty()
                || !(transcript.events().getFirst() instanceof JournalEvent.RunStarted started)) {
            throw new IllegalStateException("run " + root + " has no start in the journal, so its guard is unknown");
        }
        LoadedSpec spec = specs.ofRun(started.metadata());
        if (spec != null) {
            return prepare(spec);
        }
        Prepared prepared = byTeam.get(started.team().name());
        return prepared == null ? Optional.empty() : prepared.guard();
    }

    /**
     * Makes ready on this node what a run started from a spec needs, the spec's models and tools and its guard, before
     * the runtime starts or resumes it here: in a cluster, a run started through another node's API is placed on, or
     * moves to, this one, and it keeps its guardrails.
     *
     * @throws ApiException when the run's spec can no longer be read, built or guarded here, saying why
     */
    @Override
    public void prepare(TeamSpec team, Map<String, String> metadata) {
        LoadedSpec spec = specs.ofRun(metadata);
        if (spec == null) {
            return;
        }
        shelf.stock(spec);
        prepare(spec);
        preparedSpecs.add(Specs.key(metadata));
    }

    @Override
    public boolean isPrepared(TeamSpec team, Map<String, String> metadata) {
        String key = Specs.key(metadata);
        return key == null || preparedSpecs.contains(key);
    }

    @Override
    public Optional<LanguageModel> model(String name) {
        return shelf.model(name);
    }

    @Override
    public Optional<RateLimit> rateLimit(String name) {
        return shelf.rateLimit(name);
    }

    @Override
    public Optional<Tool> tool(String name) {
        return shelf.tool(name).map(GuardedTool::new);
    }

    @Override
    public void close() {
        byTeam.values().forEach(prepared -> prepared.guard().ifPresent(Guard::close));
    }

    /** One of a guard's interceptors, asked for the run's guard. */
    private final class Dispatch implements Interceptor {
        private final String name;

        Dispatch(String name) {
            this.name = name;
        }

        @Override
        public Verdict intercept(Interception interception) throws Exception {
            Interception.Context context = interception.context();
            Optional<Guard> guard = context.parentConversationId() == null
                    ? guardOf(context.conversationId(), context.team())
                    : guardOf(context.conversationId(), null);
            if (guard.isEmpty()) {
                return Verdict.proceed();
            }
            Interceptor interceptor = guard.get().interceptors().get(name);
            if (interceptor == null || !interceptor.points().contains(interception.point())) {
                return Verdict.proceed();
            }
            return interceptor.intercept(interception);
        }

        @Override
        public Set<Point> points() {
            return Guard.pointsOf(name);
        }

        @Override
        public Duration timeout() {
            return Guard.timeoutOf(name);
        }

        @Override
        public String toString() {
            return "the guard's " + name;
        }
    }

    /** A shelf's tool, run as the guard of the calling run runs it. */
    private final class GuardedTool implements Tool {
        private final Tool tool;

        GuardedTool(Tool tool) {
            this.tool = tool;
        }

        @Override
        public ToolDefinition definition() {
            return tool.definition();
        }

        @Override
        public ToolTraits traits() {
            return tool.traits();
        }

        @Override
        public ToolResult execute(ToolInvocation invocation) throws Exception {
            Optional<Guard> guard = guardOf(invocation.conversationId(), null);
            return guard.isEmpty()
                    ? tool.execute(invocation)
                    : guard.get().wrap(tool).execute(invocation);
        }

        @Override
        public String toString() {
            return tool.toString();
        }
    }
}

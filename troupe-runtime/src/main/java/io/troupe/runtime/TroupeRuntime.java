package io.troupe.runtime;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.Collaboration;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.tool.Tool;
import io.troupe.runtime.internal.node.AdmissionLimits;
import io.troupe.runtime.internal.node.Node;
import io.troupe.runtime.internal.registry.NamedInterceptor;
import io.troupe.runtime.internal.registry.Registry;
import io.troupe.runtime.internal.registry.Schemas;
import io.troupe.runtime.internal.turn.ToolGate;
import io.troupe.runtime.resilience.RateLimit;
import io.troupe.runtime.resilience.ResilientModel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * Starts a Troupe runtime on Apache Pekko: a one-node cluster that joins itself (or a node of a larger cluster),
 * with conversations as sharded, journaled entities.
 *
 * <pre>{@code
 * try (Troupe troupe = TroupeRuntime.builder()
 *         .model("gpt", model)
 *         .tool(flightSearch)
 *         .journal(Journal.h2(Path.of("troupe-data")))
 *         .start()) {
 *     RunHandle run = troupe.run(team, "Book me a flight to Oslo on Friday");
 *     Outcome outcome = run.outcome().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Models, tools and custom mechanisms are registered by name; specs refer to them by name, so that a journaled
 * run can resume on any node that has them. The builder is not thread-safe; the runtime it starts is.
 */
public final class TroupeRuntime {
    private TroupeRuntime() {}

    /** The default of {@link Builder#maxRunsInFlight}. */
    public static final int DEFAULT_MAX_RUNS_IN_FLIGHT = 10_000;

    /** The default of {@link Builder#maxQueuedRuns}. */
    public static final int DEFAULT_MAX_QUEUED_RUNS = 10_000;

    /** The default of {@link Builder#maxQueueWait}. */
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(30);

    /** The default of {@link Builder#maxOutputTokens}. */
    public static final int DEFAULT_MAX_OUTPUT_TOKENS = 8192;

    /** A builder with the defaults: an H2 journal in {@link #defaultJournalDirectory()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Starts a runtime with an in-memory journal and the given models: the quickest way to try Troupe. */
    public static Troupe inMemory(Map<String, LanguageModel> models) {
        Builder builder = builder().journal(Journal.inMemory());
        models.forEach(builder::model);
        return builder.start();
    }

    /** {@code $TROUPE_HOME/journal}, or {@code ~/.troupe/journal} when TROUPE_HOME is unset. */
    public static Path defaultJournalDirectory() {
        String home = System.getenv("TROUPE_HOME");
        Path base =
                home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".troupe");
        return base.resolve("journal");
    }

    /** Configures and starts a runtime. */
    public static final class Builder {
        private final Map<String, LanguageModel> models = new LinkedHashMap<>();
        private final Map<String, Tool> tools = new LinkedHashMap<>();
        private final Map<String, Function<MechanismSpec.Custom, Collaboration>> mechanisms = new LinkedHashMap<>();
        private final List<NamedInterceptor> everyRun = new ArrayList<>();
        private final Map<String, Interceptor> named = new LinkedHashMap<>();
        private final Map<String, RateLimit> rateLimits = new LinkedHashMap<>();
        private boolean resume = true;
        private final List<String> problems = new ArrayList<>();
        private Journal journal = Journal.h2(defaultJournalDirectory());
        private Catalog catalog = Catalog.empty();
        private String config = "";
        private String systemName = "troupe";
        private Clock clock = Clock.systemUTC();
        private int maxRepairs = 2;
        private int repetitionLimit = 3;
        private int maxOutputTokens = DEFAULT_MAX_OUTPUT_TOKENS;
        private int maxRunsInFlight = DEFAULT_MAX_RUNS_IN_FLIGHT;
        private int maxQueuedRuns = DEFAULT_MAX_QUEUED_RUNS;
        private Duration maxQueueWait = DEFAULT_MAX_QUEUE_WAIT;

        private Builder() {}

        /**
         * Registers a model under {@code name}, the name agent specs use. A {@linkplain LanguageModel#isRemote()
         * remote} model is wrapped in the resilience layer ({@link ResilientModel#byDefault}) unless it already is;
         * wrap it yourself with {@link ResilientModel#builder} for another policy or fallbacks.
         */
        public Builder model(String name, LanguageModel model) {
            Checks.notNull(model, "model '" + name + "'");
            LanguageModel registered = model.isRemote() ? ResilientModel.byDefault(name, model) : model;
            if (name == null || name.isBlank()) {
                problems.add("a model name must not be blank");
            } else if (models.putIfAbsent(name, registered) != null) {
                problems.add("model '" + name + "' is registered twice");
            }
            return this;
        }

        /**
         * Puts calls to the model registered as {@code model} under {@code limit}, which every node of the cluster
         * shares with the other models that name the same limit (see {@link RateLimit} for how far it may be
         * overshot). Models a {@link Catalog} provides take their limits from it.
         */
        public Builder rateLimit(String model, RateLimit limit) {
            Checks.notNull(limit, "rate limit of model '" + model + "'");
            if (model == null || model.isBlank()) {
                problems.add("a rate limit needs the name of a model");
            } else if (rateLimits.putIfAbsent(model, limit) != null) {
                problems.add("model '" + model + "' has two rate limits");
            }
            return this;
        }

        /** Registers a tool under its definition's name. */
        public Builder tool(Tool tool) {
            String name = tool.definition().name();
            if (tools.putIfAbsent(name, tool) != null) {
                problems.add("tool '" + name + "' is registered twice");
            }
            return this;
        }

        /** Registers a mechanism that teams select with {@link MechanismSpec.Custom} named {@code name}. */
        public Builder mechanism(String name, Function<MechanismSpec.Custom, Collaboration> factory) {
            if (mechanisms.putIfAbsent(Checks.name(name, "Mechanism name"), factory) != null) {
                problems.add("mechanism '" + name + "' is registered twice");
            }
            return this;
        }

        /**
         * Registers an interceptor for every agent of every run, after those registered before it. Its verdicts are
         * journaled under {@code name}.
         */
        public Builder interceptor(String name, Interceptor interceptor) {
            if (register(name, interceptor)) {
                everyRun.add(new NamedInterceptor(name, interceptor));
            }
            return this;
        }

        /**
         * Registers an interceptor that applies only to the teams ({@code TeamSpec.interceptors}) and agents
         * ({@code AgentSpec.interceptors}) that name it, in the order they list.
         */
        public Builder namedInterceptor(String name, Interceptor interceptor) {
            if (register(name, interceptor)) {
                named.put(name, interceptor);
            }
            return this;
        }

        private boolean register(String name, Interceptor interceptor) {
            if (name == null || !Checks.isName(name)) {
                problems.add(Checks.nameProblem(String.valueOf(name), "Interceptor name"));
                return false;
            }
            if (interceptor == null) {
                problems.add("interceptor '" + name + "' is null");
                return false;
            }
            if (named.containsKey(name)
                    || everyRun.stream().anyMatch(i -> i.name().equals(name))) {
                problems.add("interceptor '" + name + "' is registered twice");
                return false;
            }
            return true;
        }

        /**
         * Whether the runtime resumes, when it starts, the unfinished runs in a durable journal that it has the
         * models and tools for; true by default. A command-line run that should touch only its own run sets false.
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /** Where to journal conversations; an H2 file in {@link #defaultJournalDirectory()} by default. */
        public Builder journal(Journal journal) {
            this.journal = Checks.notNull(journal, "journal");
            return this;
        }

        /**
         * Where to look up models and tools that are not registered by name, while the runtime runs; none by default.
         */
        public Builder catalog(Catalog catalog) {
            this.catalog = Checks.notNull(catalog, "catalog");
            return this;
        }

        /** Pekko settings in HOCON that override Troupe's defaults, e.g. for a multi-node cluster. */
        public Builder config(String hocon) {
            this.config = this.config + "\n" + hocon;
            return this;
        }

        /** The actor system's name; nodes of one cluster must share it. "troupe" by default. */
        public Builder systemName(String systemName) {
            this.systemName = Checks.name(systemName, "System name");
            return this;
        }

        /** The clock for budgets and timestamps; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /**
         * How many refused tool calls or answers in a row a turn survives (each is sent back to the model to
         * repair) before the turn fails. 2 by default.
         */
        public Builder maxRepairs(int maxRepairs) {
            if (maxRepairs < 0) {
                problems.add("maxRepairs must not be negative, got " + maxRepairs);
            }
            this.maxRepairs = maxRepairs;
            return this;
        }

        /**
         * The most output tokens one model call may ask for (the provider's {@code max_tokens}) while the run's
         * token budget has more to give; 8,192 by default. A call reserves its prompt and this many tokens of the
         * budget until it completes, so smaller values let more calls run at once under a tight budget. As the
         * budget runs out, calls get less.
         */
        public Builder maxOutputTokens(int maxOutputTokens) {
            if (maxOutputTokens < 1) {
                problems.add("maxOutputTokens must be at least 1, got " + maxOutputTokens);
            }
            this.maxOutputTokens = maxOutputTokens;
            return this;
        }

        /**
         * How many runs started on this runtime may run at once; 10,000 by default. Each run in flight holds its
         * state in memory, so the bound keeps a flood of runs from exhausting the heap. Past it, new runs wait (see
         * {@link #maxQueuedRuns}); child runs and runs resumed after a restart are not counted.
         */
        public Builder maxRunsInFlight(int maxRunsInFlight) {
            if (maxRunsInFlight < 1) {
                problems.add("maxRunsInFlight must be at least 1, got " + maxRunsInFlight);
            }
            this.maxRunsInFlight = maxRunsInFlight;
            return this;
        }

        /**
         * How many new runs may wait, in order of arrival, while {@link #maxRunsInFlight} runs are in flight; 10,000
         * by default, 0 to refuse at once. A run past this bound, or one that waits longer than {@link
         * #maxQueueWait}, is refused with an {@link io.troupe.api.run.OverloadedException}, and nothing of it is
         * journaled. A waiting run's {@code RunHandle.started()} completes once it starts.
         */
        public Builder maxQueuedRuns(int maxQueuedRuns) {
            if (maxQueuedRuns < 0) {
                problems.add("maxQueuedRuns must not be negative, got " + maxQueuedRuns);
            }
            this.maxQueuedRuns = maxQueuedRuns;
            return this;
        }

        /** How long a new run may wait for a place before it is refused; 30 s by default. */
        public Builder maxQueueWait(Duration maxQueueWait) {
            Checks.notNull(maxQueueWait, "maxQueueWait");
            if (maxQueueWait.isNegative() || maxQueueWait.isZero()) {
                problems.add("maxQueueWait must be positive, got " + maxQueueWait);
            }
            this.maxQueueWait = maxQueueWait;
            return this;
        }

        /** How many identical prompts from one agent end a run as looping. 3 by default. */
        public Builder repetitionLimit(int repetitionLimit) {
            if (repetitionLimit < 2) {
                problems.add("repetitionLimit must be at least 2, got " + repetitionLimit);
            }
            this.repetitionLimit = repetitionLimit;
            return this;
        }

        /**
         * Starts the runtime. It resumes, by itself, every unfinished run in a durable journal.
         *
         * @throws ConfigurationException listing every problem with the registrations
         */
        public TroupeNode start() {
            Schemas schemas = new Schemas();
            List<String> all = new ArrayList<>(problems);
            for (Tool tool : tools.values()) {
                String problem = schemas.problem(tool.definition().parametersSchema());
                if (problem != null) {
                    all.add("tool '" + tool.name() + "' has an invalid JSON schema for its arguments: " + problem);
                }
            }
            ConfigurationException.throwIfAny("Cannot start Troupe", all);
            Registry registry = new Registry(
                    models,
                    tools,
                    mechanisms,
                    everyRun,
                    named,
                    clock,
                    Executors.newThreadPerTaskExecutor(
                            Thread.ofVirtual().name("troupe-call-", 0).factory()),
                    schemas,
                    new Registry.Limits(maxRepairs, repetitionLimit, maxOutputTokens),
                    ToolGate.RESERVED_TOOLS,
                    catalog);
            for (String model : rateLimits.keySet()) {
                if (!models.containsKey(model)) {
                    all.add("a rate limit is set for model '" + model + "', which is not registered; registered"
                            + " models: " + models.keySet());
                }
            }
            ConfigurationException.throwIfAny("Cannot start Troupe", all);
            return Node.start(
                    systemName,
                    journal,
                    config,
                    registry,
                    rateLimits,
                    resume ? Node.Resume.ALL : Node.Resume.NONE,
                    new AdmissionLimits(maxRunsInFlight, maxQueuedRuns, maxQueueWait));
        }
    }
}

package io.troupe.guard;

import io.troupe.api.Checks;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.run.Troupe;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolTraits;
import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.injection.InjectionJudge;
import io.troupe.guard.pii.PiiDetector;
import io.troupe.guard.pii.PiiRedactor;
import io.troupe.guard.pii.PiiVault;
import io.troupe.runtime.TroupeRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Troupe's guardrails on the interception seam, configured once and installed into a runtime: PII redaction with a
 * per-run vault, prompt-injection defence (detection, quarantine, canary), rate limits and a limit on tool results,
 * sink checks on tool arguments, approval of sensitive tools, and a hash-chained audit log per run.
 *
 * <pre>{@code
 * Guard guard = Guard.builder()
 *         .guardrails(Guardrails.STANDARD.withPii(PiiPolicy.redact().restoringFor("send_email")).withCanary(true))
 *         .agent("reader", Guardrails.STANDARD.withMaxToolResultChars(20_000))
 *         .approvals(ApprovalPolicy.forTools("transfer"))
 *         .audit(AuditPolicy.to(Path.of("audit")))
 *         .build();
 * try (Troupe troupe = guard.start(TroupeRuntime.builder().model("m", model), List.of(search, sendEmail, transfer))) {
 *     troupe.run(team, task);
 * }
 * }</pre>
 *
 * <p>Each guardrail is an {@link Interceptor} registered for every run ({@link #interceptors()}, in order:
 * rate limits, result limit, PII, injection, canary, sinks, links, approvals, audit), so every verdict is journaled
 * before it takes effect, replay shows it, and a failing guardrail blocks (fail closed). The guardrails of an agent
 * come from {@link Builder#agent}, else its team's ({@link Builder#team}), else the run-wide ones. One guard serves
 * one runtime; bind it ({@link #bind}, or {@link #start}) so that it can follow runs for the audit log, free their
 * state when they end, and number a restarted run's placeholders from its journal. Thread-safe.
 */
public final class Guard implements AutoCloseable {
    /**
     * The names of the interceptors a guard may register, in the order they run: a host that runs several guards
     * on one runtime (a server, one guard per spec) registers one dispatching interceptor under each.
     */
    public static final List<String> INTERCEPTOR_NAMES = List.of(
            RateLimitInterceptor.NAME,
            ResultLimitInterceptor.NAME,
            PiiInterceptor.NAME,
            InjectionInterceptor.NAME,
            CanaryInterceptor.NAME,
            SinkInterceptor.NAME,
            LinkInterceptor.NAME,
            ApprovalInterceptor.NAME,
            AuditInterceptor.NAME);

    private final Scopes scopes;
    private final ApprovalPolicy approvals;
    private final @Nullable AuditPolicy audit;
    private final Map<String, ToolTraits> traits = new ConcurrentHashMap<>();
    private final Binding binding = new Binding();
    private final GuardRuns runs;
    private final Detectors detectors;
    private final PiiInterceptor pii;
    private final Map<String, Interceptor> interceptors;

    private Guard(Builder builder) {
        this.scopes = new Scopes(builder.run, builder.teams, builder.agents);
        this.approvals = builder.approvals;
        this.audit = builder.audit;
        this.traits.putAll(builder.traits);
        this.runs = new GuardRuns(binding, audit, builder.clock, scrubber());
        this.detectors = new Detectors(builder.injectionDetector, builder.tune);
        this.pii = new PiiInterceptor(scopes, runs);
        Set<String> linkHosts = new HashSet<>();
        scopes.all().forEach(g -> linkHosts.addAll(g.links().allow()));
        Map<String, Interceptor> chain = new LinkedHashMap<>();
        if (scopes.all().stream().anyMatch(g -> g.rateLimits().any())) {
            chain.put(
                    RateLimitInterceptor.NAME,
                    new RateLimitInterceptor(scopes, runs, builder.clock, d -> Thread.sleep(d)));
        }
        if (scopes.all().stream().anyMatch(g -> g.maxToolResultChars() > 0)) {
            chain.put(ResultLimitInterceptor.NAME, new ResultLimitInterceptor(scopes));
        }
        if (scopes.all().stream().anyMatch(g -> g.pii().action() != PiiPolicy.Action.OFF)) {
            chain.put(PiiInterceptor.NAME, pii);
        }
        if (scopes.all().stream().anyMatch(g -> !g.injection().places().isEmpty())) {
            chain.put(InjectionInterceptor.NAME, new InjectionInterceptor(scopes, runs, detectors));
        }
        if (scopes.all().stream().anyMatch(Guardrails::canary)) {
            chain.put(CanaryInterceptor.NAME, new CanaryInterceptor(scopes, runs));
        }
        chain.put(SinkInterceptor.NAME, new SinkInterceptor(this::traitsOf, linkHosts));
        if (scopes.all().stream().anyMatch(g -> g.links().enabled())) {
            chain.put(LinkInterceptor.NAME, new LinkInterceptor(scopes));
        }
        chain.put(ApprovalInterceptor.NAME, new ApprovalInterceptor(approvals, this::traitsOf));
        if (audit != null) {
            chain.put(AuditInterceptor.NAME, new AuditInterceptor(runs));
        }
        this.interceptors = Collections.unmodifiableMap(chain);
    }

    /** A builder with {@link Guardrails#STANDARD} for every run, approval for sensitive tools, and no audit log. */
    public static Builder builder() {
        return new Builder();
    }

    /** The guardrails' interceptors by the names they are journaled under, in the order they run. */
    public Map<String, Interceptor> interceptors() {
        return interceptors;
    }

    /**
     * {@code tool} as the guard runs it: its traits are known to the sink and approval checks, and a tool that the PII
     * policy authorises to see personal data gets the raw values behind the placeholders in its arguments when it
     * runs (and its result is redacted again).
     */
    public Tool wrap(Tool tool) {
        traits.merge(tool.name(), tool.traits(), ToolTraits::and);
        boolean restores = scopes.all().stream()
                .anyMatch(g -> g.pii().action() == PiiPolicy.Action.REDACT
                        && g.pii().restoreFor().contains(tool.name()));
        return restores ? new PiiRestoringTool(tool, scopes, runs, pii) : tool;
    }

    /**
     * Registers the guardrails with {@code builder} for every run, and {@code tools} as {@link #wrap} returns them.
     * Register no other copy of these tools. Returns {@code builder}.
     */
    public TroupeRuntime.Builder install(TroupeRuntime.Builder builder, Collection<? extends Tool> tools) {
        interceptors.forEach(builder::interceptor);
        for (Tool tool : tools) {
            builder.tool(wrap(tool));
        }
        if (scopes.all().stream().anyMatch(g -> g.injection().classifier() && scans(g.injection(), tools))) {
            // Load the embedding model while the runtime starts, not on the first tool result.
            Thread.ofVirtual().name("troupe-guard-classifier").start(() -> {
                try {
                    detectors.full();
                } catch (RuntimeException e) {
                    // the first scan reports it, and blocks (fail closed)
                }
            });
        }
        return builder;
    }

    /** Whether {@code policy} will scan anything in a runtime with {@code tools}: tool results need a tool. */
    private static boolean scans(InjectionPolicy policy, Collection<? extends Tool> tools) {
        return policy.covers(Place.MESSAGES)
                || policy.covers(Place.TASK)
                || (policy.covers(Place.TOOL_RESULTS) && !tools.isEmpty());
    }

    /**
     * Binds the guard to the runtime it was installed in: from now on it follows that runtime's runs (for the audit
     * log and to free their state when they end), and brings up to date the audit logs of runs that ended while no
     * guard recorded them.
     */
    public void bind(Troupe troupe) {
        binding.bind(Checks.notNull(troupe, "troupe"));
        runs.catchUp();
    }

    /**
     * Binds the guard to {@code troupe} like {@link #bind}, but leaves the audit logs of runs that ended unrecorded
     * alone: for a host whose guards share an audit directory (a server, one guard per spec), where only the guard
     * of a run may write its log.
     */
    public void attach(Troupe troupe) {
        binding.bind(Checks.notNull(troupe, "troupe"));
    }

    /**
     * How long the interceptor named {@code name} (one of {@link #INTERCEPTOR_NAMES}) may take: a dispatching
     * interceptor waits as long.
     */
    public static Duration timeoutOf(String name) {
        return switch (name) {
            case RateLimitInterceptor.NAME -> RateLimitInterceptor.MAX_WAIT.plusSeconds(10);
            case InjectionInterceptor.NAME -> Duration.ofSeconds(120);
            default -> Duration.ofSeconds(30);
        };
    }

    /** The points the interceptor named {@code name} (one of {@link #INTERCEPTOR_NAMES}) applies to. */
    public static Set<Point> pointsOf(String name) {
        return switch (name) {
            case RateLimitInterceptor.NAME -> RateLimitInterceptor.POINTS;
            case ResultLimitInterceptor.NAME -> ResultLimitInterceptor.POINTS;
            case PiiInterceptor.NAME -> PiiInterceptor.POINTS;
            case InjectionInterceptor.NAME -> InjectionInterceptor.POINTS;
            case CanaryInterceptor.NAME -> CanaryInterceptor.POINTS;
            case SinkInterceptor.NAME -> SinkInterceptor.POINTS;
            case LinkInterceptor.NAME -> LinkInterceptor.POINTS;
            case ApprovalInterceptor.NAME -> ApprovalInterceptor.POINTS;
            case AuditInterceptor.NAME -> AuditInterceptor.POINTS;
            default ->
                throw new IllegalArgumentException(
                        "no guard interceptor is named '" + name + "'; the names are " + INTERCEPTOR_NAMES);
        };
    }

    /** Installs the guard into {@code builder} with {@code tools}, starts the runtime and binds the guard to it. */
    public Troupe start(TroupeRuntime.Builder builder, Collection<? extends Tool> tools) {
        Troupe troupe = install(builder, tools).start();
        bind(troupe);
        return troupe;
    }

    /**
     * Whether a guardrail checks or changes model answers (PII on answers, the canary, links): then the tokens a model
     * streams are the raw answer, before the guardrails, and must not be shown or sent anywhere; only the answer as
     * journaled may leave.
     */
    public boolean checksAnswers() {
        return scopes.all().stream()
                .anyMatch(g ->
                        g.pii().covers(Place.ANSWERS) || g.canary() || g.links().enabled());
    }

    /** The traits of tool {@code name}: its own and those the builder declared. */
    public ToolTraits traitsOf(String name) {
        return traits.getOrDefault(name, ToolTraits.NONE);
    }

    /** The audit log's settings, if the guard keeps one. */
    public java.util.Optional<AuditPolicy> audit() {
        return java.util.Optional.ofNullable(audit);
    }

    /**
     * Waits until the events of run {@code conversationId} (and of its child runs) have reached its audit log, once
     * the run has ended, at most {@code wait}; whether they did. Call it before closing the runtime when a person or
     * a program reads the log right after the run (the log of a run that ended unrecorded is completed the next time
     * a guard is bound to the journal).
     */
    public boolean awaitRecorded(String conversationId, Duration wait) {
        try {
            return runs.awaitRecorded(conversationId, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Forgets what the guard keeps for run {@code conversationId} and its tree (done by itself when bound). */
    public void forget(String conversationId) {
        runs.forget(conversationId);
    }

    /** How many run trees the guard holds state for. */
    public int runsInMemory() {
        return runs.size();
    }

    /** Stops following runs. */
    @Override
    public void close() {
        runs.close();
    }

    /**
     * What free text (reasons, notes) goes through before it enters an audit log: personal data is replaced by typed
     * placeholders numbered per text. The same text always gives the same result, so that {@code troupe audit
     * verify} can recompute the log from the journal.
     */
    public static UnaryOperator<String> scrubber() {
        PiiDetector detector = PiiDetector.standard();
        return text -> PiiRedactor.redact(text, detector.detect(text), new PiiVault("audit"))
                .text();
    }

    /** Configures a {@link Guard}. Not thread-safe. */
    public static final class Builder {
        private Guardrails run = Guardrails.STANDARD;
        private final Map<String, Guardrails> teams = new LinkedHashMap<>();
        private final Map<String, Guardrails> agents = new LinkedHashMap<>();
        private ApprovalPolicy approvals = ApprovalPolicy.SENSITIVE_TOOLS;
        private @Nullable AuditPolicy audit;
        private final Map<String, ToolTraits> traits = new LinkedHashMap<>();
        private Supplier<InjectionDetector> injectionDetector = InjectionDetector::standard;
        private Clock clock = Clock.systemUTC();
        private UnaryOperator<InjectionDetector> tune = UnaryOperator.identity();

        private Builder() {}

        /** The guardrails of every run; {@link Guardrails#STANDARD} by default. */
        public Builder guardrails(Guardrails guardrails) {
            this.run = Checks.notNull(guardrails, "guardrails");
            return this;
        }

        /** The guardrails of the agents of team {@code team} (and of a member that is a team of that name). */
        public Builder team(String team, Guardrails guardrails) {
            teams.put(Checks.notBlank(team, "team"), Checks.notNull(guardrails, "guardrails of team " + team));
            return this;
        }

        /** The guardrails of agent {@code agentId}, instead of its team's or the run's. */
        public Builder agent(String agentId, Guardrails guardrails) {
            agents.put(Checks.name(agentId, "agent id"), Checks.notNull(guardrails, "guardrails of " + agentId));
            return this;
        }

        /** Which tool calls wait for a person; those of sensitive tools only by default. */
        public Builder approvals(ApprovalPolicy approvals) {
            this.approvals = Checks.notNull(approvals, "approvals");
            return this;
        }

        /** Keeps a hash-chained audit log of every run; none by default. */
        public Builder audit(@Nullable AuditPolicy audit) {
            this.audit = audit;
            return this;
        }

        /** Declares traits of tool {@code name} besides its own: sinks, data scopes, sensitivity. */
        public Builder tool(String name, ToolTraits traits) {
            this.traits.merge(Checks.name(name, "tool name"), traits, ToolTraits::and);
            return this;
        }

        /** The injection detector with the classifier (for a judge, or other thresholds); the standard one by default. */
        public Builder injectionDetector(Supplier<InjectionDetector> detector) {
            this.injectionDetector = Checks.notNull(detector, "injection detector");
            return this;
        }

        /**
         * A language model's second opinion on the texts the injection guardrail scans, with or without the
         * classifier: on every text ({@code all}) or on uncertain ones.
         */
        public Builder injectionJudge(InjectionJudge judge, boolean all) {
            Checks.notNull(judge, "injection judge");
            UnaryOperator<InjectionDetector> before = tune;
            this.tune = d -> before.apply(d).withJudge(judge, all);
            return this;
        }

        /** The injection detector's thresholds: the scores from which a text is an injection, or suspicious. */
        public Builder injectionThresholds(double injection, double suspicion) {
            InjectionDetector.rulesOnly().withThresholds(injection, suspicion); // fails now on bad thresholds
            UnaryOperator<InjectionDetector> before = tune;
            this.tune = d -> before.apply(d).withThresholds(injection, suspicion);
            return this;
        }

        /** The clock of rate limits and audit entries; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Checks.notNull(clock, "clock");
            return this;
        }

        /** The guard. */
        public Guard build() {
            return new Guard(this);
        }
    }
}

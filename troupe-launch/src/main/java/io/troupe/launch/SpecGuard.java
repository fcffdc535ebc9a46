package io.troupe.launch;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.run.Troupe;
import io.troupe.api.tool.Tool;
import io.troupe.config.GuardrailsConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.guard.ApprovalPolicy;
import io.troupe.guard.AuditPolicy;
import io.troupe.guard.Guard;
import io.troupe.guard.Guardrails;
import io.troupe.guard.InjectionPolicy;
import io.troupe.guard.LinkPolicy;
import io.troupe.guard.PiiPolicy;
import io.troupe.guard.Place;
import io.troupe.guard.RateLimit;
import io.troupe.guard.RateLimits;
import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.injection.InjectionJudge;
import io.troupe.guard.injection.Spotlight;
import io.troupe.guard.pii.PiiType;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The guard of a spec: its {@code guardrails:} section (or {@link Guardrails#STANDARD} without one) turned into a
 * {@link Guard}, with the audit log in the journal's audit directory. Each key an agent writes replaces the run's for
 * that agent. The command line ({@code troupe run}, {@code troupe resume}) and the server build guards here, so that
 * a spec is guarded the same way whichever starts it.
 */
public final class SpecGuard {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]+");

    private SpecGuard() {}

    /** Where the audit logs of an H2 journal's runs go: {@code audit} in the journal's directory. */
    public static Path auditDirectory(Path journal) {
        return journal.resolve("audit");
    }

    /**
     * Where the audit logs of {@code journal}'s runs go when no {@code --audit-dir} says otherwise: {@code audit} in
     * an H2 journal's directory; for a PostgreSQL journal, {@code audit/postgresql-HOST-PORT-DATABASE} beside the
     * default journal directory ({@code $TROUPE_HOME} or {@code ~/.troupe}), so that {@code troupe audit verify} with
     * the same {@code --journal} finds them; empty for a journal that does not outlive the process (no log to verify
     * later).
     */
    public static Optional<Path> auditDirectory(Journal journal) {
        return switch (journal) {
            case Journal.H2File h2 -> Optional.of(auditDirectory(h2.directory()));
            case Journal.Postgres postgres ->
                Optional.of(TroupeRuntime.defaultJournalDirectory()
                        .resolveSibling("audit")
                        .resolve(postgresFolder(postgres.url())));
            case Journal.InMemory memory -> Optional.empty();
            case Journal.H2Memory memory -> Optional.empty();
        };
    }

    /** {@code postgresql-HOST-PORT-DATABASE} for {@code jdbc:postgresql://HOST[:PORT]/DATABASE[?options]}. */
    static String postgresFolder(String url) {
        String rest = url.substring("jdbc:postgresql://".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            rest = rest.substring(0, query);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash >= 0 ? rest.substring(0, slash) : rest;
        String database = slash >= 0 ? rest.substring(slash + 1) : "";
        int colon = hostPort.lastIndexOf(':');
        String host = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(0, colon) : hostPort;
        String port = colon > 0 && !hostPort.endsWith("]") ? hostPort.substring(colon + 1) : "5432";
        return UNSAFE.matcher("postgresql-" + host + "-" + port + "-" + database)
                .replaceAll("_");
    }

    /**
     * The guard of {@code spec}, or null for {@code guardrails: off}.
     *
     * @param auditDirectory where the audit logs go, or null for none (a journal that does not outlive the process)
     * @param env the environment, for the audit key
     * @param models the models by name, for the injection judge
     * @throws ConfigurationException if the audit key's variable is not set or too short, or the judge's model is
     *     missing
     */
    public static @Nullable Guard build(
            ScenarioSpec spec,
            @Nullable Path auditDirectory,
            Function<String, @Nullable String> env,
            Function<String, Optional<LanguageModel>> models) {
        GuardrailsConfig config = spec.guardrails();
        if (!config.enabled()) {
            return null;
        }
        Guardrails run = apply(Guardrails.STANDARD, config.run());
        Guard.Builder builder = Guard.builder()
                .guardrails(run)
                .approvals(new ApprovalPolicy(Set.copyOf(config.approvalTools()), config.endRunOnDeny()));
        config.agents().forEach((agent, scope) -> builder.agent(agent, apply(run, scope)));
        if (config.audit().enabled() && auditDirectory != null) {
            builder.audit(audit(config.audit(), auditDirectory, env));
        }
        if (config.judge() instanceof GuardrailsConfig.Judge judge) {
            LanguageModel model = models.apply(judge.model())
                    .orElseThrow(() -> new ConfigurationException("The injection judge's model '" + judge.model()
                            + "' is not built; define it under the spec's 'models:'"));
            builder.injectionJudge(
                    new InjectionJudge(model, judge.timeout()), judge.checks().equals("all"));
            builder.injectionThresholds(
                    judge.threshold(), Math.min(InjectionDetector.SUSPICION_THRESHOLD, judge.threshold()));
        }
        return builder.build();
    }

    /** Registers {@code tools} with {@code builder}, through {@code guard} when there is one. */
    public static void install(@Nullable Guard guard, TroupeRuntime.Builder builder, List<Tool> tools) {
        if (guard == null) {
            tools.forEach(builder::tool);
        } else {
            guard.install(builder, tools);
        }
    }

    /** Binds {@code guard}, if any, to the runtime it was installed in; returns it, to be closed after the runtime. */
    public static @Nullable Guard bind(@Nullable Guard guard, Troupe troupe) {
        if (guard != null) {
            guard.bind(troupe);
        }
        return guard;
    }

    /**
     * Whether a model's streamed tokens (the raw answer, before the guardrails) must be withheld for {@code guard}'s
     * runs: when a guardrail checks or changes answers, only the answer as journaled may leave.
     */
    public static boolean withholdsTokens(@Nullable Guard guard) {
        return guard != null && guard.checksAnswers();
    }

    private static AuditPolicy audit(
            GuardrailsConfig.Audit audit, Path directory, Function<String, @Nullable String> env) {
        String variable = audit.keyVariable();
        if (variable == null) {
            return AuditPolicy.to(directory);
        }
        String key = env.apply(variable);
        if (key == null || key.isBlank()) {
            throw new ConfigurationException("Environment variable " + variable + " is not set; the spec's audit log"
                    + " is keyed with it ('audit: { key-env: " + variable + " }'). Export a secret of at least 16"
                    + " characters before running, and keep it to verify the log.");
        }
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 16) {
            throw new ConfigurationException("The audit key in " + variable + " has " + bytes.length + " bytes; use a"
                    + " secret of at least 16, such as the output of 'openssl rand -hex 32'");
        }
        return AuditPolicy.keyed(directory, bytes);
    }

    /** {@code base} with what {@code scope} writes. */
    public static Guardrails apply(Guardrails base, GuardrailsConfig.Scope scope) {
        Guardrails g = base;
        if (scope.pii() != null) {
            g = g.withPii(pii(scope.pii()));
        }
        if (scope.injection() != null) {
            g = g.withInjection(injection(scope.injection()));
        }
        if (scope.canary() != null) {
            g = g.withCanary(scope.canary());
        }
        if (scope.links() != null) {
            g = g.withLinks(new LinkPolicy(
                    true, Set.copyOf(scope.links().allow()), scope.links().block()));
        }
        if (scope.rateLimits() != null) {
            GuardrailsConfig.Rates rates = scope.rateLimits();
            Map<String, RateLimit> tools = new LinkedHashMap<>();
            rates.tools().forEach((tool, rate) -> tools.put(tool, rate(rate)));
            g = g.withRateLimits(new RateLimits(
                    rates.modelCalls() == null ? null : rate(rates.modelCalls()),
                    rates.toolCalls() == null ? null : rate(rates.toolCalls()),
                    tools));
        }
        if (scope.maxToolResult() != null) {
            g = g.withMaxToolResultChars(scope.maxToolResult());
        }
        return g;
    }

    private static RateLimit rate(GuardrailsConfig.Rate rate) {
        return new RateLimit(rate.calls(), rate.per());
    }

    private static PiiPolicy pii(GuardrailsConfig.Pii pii) {
        PiiPolicy policy = PiiPolicy.redact()
                .withAction(PiiPolicy.Action.valueOf(pii.action().toUpperCase(Locale.ROOT)))
                .restoringFor(pii.restoreFor().toArray(String[]::new));
        if (!pii.types().isEmpty()) {
            Set<PiiType> types = EnumSet.noneOf(PiiType.class);
            pii.types().forEach(t -> types.add(PiiType.valueOf(t)));
            policy = policy.withTypes(types);
        }
        if (!pii.on().isEmpty()) {
            policy = policy.withPlaces(places(pii.on()));
        }
        return pii.minConfidence() == null ? policy : policy.withMinConfidence(pii.minConfidence());
    }

    private static InjectionPolicy injection(GuardrailsConfig.Injection injection) {
        if (!injection.enabled()) {
            return InjectionPolicy.OFF;
        }
        InjectionPolicy policy = InjectionPolicy.STANDARD
                .withResponses(
                        response(injection.onInjection()),
                        response(injection.onSuspicious()),
                        response(injection.onBenign()))
                .withSpotlight(Spotlight.Mode.valueOf(injection.spotlight().toUpperCase(Locale.ROOT)))
                .withClassifier(injection.classifier());
        return injection.on().isEmpty() ? policy : policy.withPlaces(places(injection.on()));
    }

    private static InjectionPolicy.Response response(String response) {
        return InjectionPolicy.Response.valueOf(
                response.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    private static Set<Place> places(List<String> labels) {
        Set<Place> places = EnumSet.noneOf(Place.class);
        for (String label : labels) {
            places.add(Place.valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        return places;
    }
}

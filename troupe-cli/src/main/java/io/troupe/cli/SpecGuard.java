package io.troupe.cli;

import io.troupe.api.ConfigurationException;
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
import io.troupe.guard.injection.Spotlight;
import io.troupe.guard.pii.PiiType;
import io.troupe.runtime.TroupeRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The guard of a spec: its {@code guardrails:} section (or {@link Guardrails#STANDARD} without one) turned into a
 * {@link Guard}, with the audit log beside the journal. Each key an agent writes replaces the run's for that agent.
 */
final class SpecGuard {
    private SpecGuard() {}

    /** Where the audit logs of a journal's runs go: {@code audit} in the journal's directory. */
    static Path auditDirectory(Path journal) {
        return journal.resolve("audit");
    }

    /**
     * The guard of {@code spec}, or null for {@code guardrails: off}.
     *
     * @param journal the journal directory, beside which the audit logs go
     * @param env the environment, for the audit key
     * @throws ConfigurationException if the audit key's variable is not set or too short
     */
    static @Nullable Guard build(ScenarioSpec spec, Path journal, Function<String, @Nullable String> env) {
        GuardrailsConfig config = spec.guardrails();
        if (!config.enabled()) {
            return null;
        }
        Guardrails run = apply(Guardrails.STANDARD, config.run());
        Guard.Builder builder = Guard.builder()
                .guardrails(run)
                .approvals(new ApprovalPolicy(Set.copyOf(config.approvalTools()), config.endRunOnDeny()));
        config.agents().forEach((agent, scope) -> builder.agent(agent, apply(run, scope)));
        if (config.audit().enabled()) {
            builder.audit(audit(config.audit(), auditDirectory(journal), env));
        }
        return builder.build();
    }

    /** Registers {@code tools} with {@code builder}, through {@code guard} when there is one. */
    static void install(@Nullable Guard guard, TroupeRuntime.Builder builder, List<Tool> tools) {
        if (guard == null) {
            tools.forEach(builder::tool);
        } else {
            guard.install(builder, tools);
        }
    }

    /** Binds {@code guard}, if any, to the runtime it was installed in; returns it, to be closed after the runtime. */
    static @Nullable Guard bind(@Nullable Guard guard, Troupe troupe) {
        if (guard != null) {
            guard.bind(troupe);
        }
        return guard;
    }

    /**
     * Whether the spec redacts model answers, so that the terminal must not show a model's streamed tokens (the raw
     * answer) but only the answer as journaled.
     */
    static boolean redactsAnswers(ScenarioSpec spec) {
        GuardrailsConfig config = spec.guardrails();
        if (!config.enabled()) {
            return false;
        }
        java.util.List<GuardrailsConfig.Scope> scopes =
                new java.util.ArrayList<>(config.agents().values());
        scopes.add(config.run());
        for (GuardrailsConfig.Scope scope : scopes) {
            GuardrailsConfig.Pii pii = scope.pii();
            if (pii != null
                    && !pii.action().equals("off")
                    && (pii.on().isEmpty() || pii.on().contains("answers"))) {
                return true;
            }
        }
        return false;
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
    static Guardrails apply(Guardrails base, GuardrailsConfig.Scope scope) {
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

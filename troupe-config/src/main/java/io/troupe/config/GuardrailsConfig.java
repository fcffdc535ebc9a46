package io.troupe.config;

import io.troupe.api.Checks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A spec's {@code guardrails:} section, read: plain data that the runner turns into a guard. A field left null was
 * not written, so the runner's default applies; an agent's scope replaces the team's for each key it writes.
 *
 * @param enabled false for {@code guardrails: off}: no guardrail at all
 * @param run the guardrails of every agent of the run
 * @param agents the guardrails of single agents, by agent id: what each writes replaces the run's
 * @param approvalTools the tools whose calls wait for a person (besides tools marked {@code sensitive})
 * @param endRunOnDeny whether a denied call ends the run ({@code on-deny: end-run}) rather than letting the agent go
 *     on
 * @param denyByDefault whether capabilities are denied by default ({@code capabilities: deny-by-default}): an agent
 *     without {@code permissions:} (or a kind it leaves out) gets none
 * @param audit the audit log
 * @param judge the model that judges texts for prompt injection ({@code injection: { judge: ... }}), or null for none
 */
public record GuardrailsConfig(
        boolean enabled,
        Scope run,
        Map<String, Scope> agents,
        List<String> approvalTools,
        boolean endRunOnDeny,
        boolean denyByDefault,
        Audit audit,
        @Nullable Judge judge) {

    /** What a spec without a {@code guardrails:} section gets: the runner's defaults. */
    public static final GuardrailsConfig DEFAULT =
            new GuardrailsConfig(true, Scope.EMPTY, Map.of(), List.of(), false, false, Audit.ON, null);

    public GuardrailsConfig {
        Checks.notNull(run, "GuardrailsConfig run");
        agents = Map.copyOf(Checks.notNull(agents, "GuardrailsConfig agents"));
        approvalTools = Checks.list(approvalTools, "GuardrailsConfig approvalTools");
        Checks.notNull(audit, "GuardrailsConfig audit");
    }

    /**
     * The guardrails of one scope, each null when not written.
     *
     * @param pii personal data
     * @param injection prompt injection
     * @param canary the system-prompt canary
     * @param links links in answers
     * @param rateLimits rate limits
     * @param maxToolResult the most characters of a tool result that reach a prompt; 0 for no limit
     */
    public record Scope(
            @Nullable Pii pii,
            @Nullable Injection injection,
            @Nullable Boolean canary,
            @Nullable Links links,
            @Nullable Rates rateLimits,
            @Nullable Integer maxToolResult) {
        /** Nothing written. */
        public static final Scope EMPTY = new Scope(null, null, null, null, null, null);
    }

    /**
     * {@code pii:}.
     *
     * @param action {@code off}, {@code redact}, {@code block} or {@code ask}
     * @param types the entity types in upper case (e.g. {@code EMAIL}); empty for all
     * @param on the places, e.g. {@code tool-results}; empty for all
     * @param minConfidence the confidence below which candidates are ignored, or null for the default
     * @param restoreFor the tools that see the raw values behind placeholders
     */
    public record Pii(
            String action,
            List<String> types,
            List<String> on,
            @Nullable Double minConfidence,
            List<String> restoreFor) {
        public Pii {
            types = List.copyOf(types);
            on = List.copyOf(on);
            restoreFor = List.copyOf(restoreFor);
        }
    }

    /**
     * {@code injection:}.
     *
     * @param enabled false for {@code injection: off}
     * @param on the places, e.g. {@code tool-results}; empty for the default (tool results)
     * @param onInjection {@code pass}, {@code quarantine}, {@code ask}, {@code block} or {@code end-run}
     * @param onSuspicious the same choices, for suspicious texts
     * @param onBenign the same choices, for the rest
     * @param spotlight {@code delimit}, {@code datamark} or {@code base64}
     * @param classifier whether the embedding classifier runs beside the rules
     */
    public record Injection(
            boolean enabled,
            List<String> on,
            String onInjection,
            String onSuspicious,
            String onBenign,
            String spotlight,
            boolean classifier) {
        public Injection {
            on = List.copyOf(on);
        }
    }

    /**
     * {@code links:}.
     *
     * @param allow the hosts links may point at
     * @param block whether to block answers with other links rather than remove the links
     */
    public record Links(List<String> allow, boolean block) {
        public Links {
            allow = List.copyOf(allow);
        }
    }

    /** A rate: {@code calls} per {@code per}. */
    public record Rate(int calls, Duration per) {}

    /**
     * {@code rate-limits:}.
     *
     * @param modelCalls an agent's model calls in a run, or null
     * @param toolCalls an agent's tool calls in a run, or null
     * @param tools each tool's calls across runs, by tool name
     */
    public record Rates(@Nullable Rate modelCalls, @Nullable Rate toolCalls, Map<String, Rate> tools) {
        public Rates {
            tools = Map.copyOf(tools);
        }
    }

    /**
     * {@code audit:}.
     *
     * @param enabled whether runs keep an audit log
     * @param keyVariable the environment variable holding the HMAC key, or null for plain SHA-256
     */
    public record Audit(boolean enabled, @Nullable String keyVariable) {
        /** An audit log without a key. */
        public static final Audit ON = new Audit(true, null);
    }

    /**
     * {@code injection: { judge: ... }}: a language model from the spec's {@code models:} that gives a second opinion
     * on the texts the injection guardrail scans.
     *
     * @param model the name of the model, one of the spec's {@code models:}
     * @param checks {@code uncertain} (only texts whose rule and classifier score is uncertain, from 0.2 to 0.8) or
     *     {@code all} (every scanned text)
     * @param threshold the combined score from which a text is an injection, from 0 to 1 (the default is 0.5)
     * @param timeout how long one judgement may take; past it the judge gives no opinion
     */
    public record Judge(String model, String checks, double threshold, Duration timeout) {
        public Judge {
            Checks.name(model, "judge model");
            Checks.notNull(checks, "judge checks");
            Checks.notNull(timeout, "judge timeout");
        }
    }
}

package io.troupe.config;

import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@code guardrails:} section: at the top of a spec (the run's guardrails, approvals, capabilities and the
 * audit log) or under an agent (that agent's guardrails). It reads the run-wide settings itself (approvals,
 * capabilities, the injection judge and the audit log) and leaves the guardrails of each scope to a
 * {@link GuardrailScopeReader}. Every mistake is reported at its node. Not thread-safe.
 */
final class GuardrailsReader {
    /** The top-level section as its mistakes name it, which also tells the run's scope from an agent's. */
    static final String WHERE = "guardrails";

    static final List<String> TOP_KEYS =
            concat(GuardrailScopeReader.SCOPE_KEYS, List.of("approvals", "capabilities", "audit"));

    private final Checker check;
    private final GuardrailFields fields;
    private final GuardrailScopeReader scopes;

    GuardrailsReader(Checker check) {
        this.check = check;
        this.fields = new GuardrailFields(check);
        this.scopes = new GuardrailScopeReader(check, fields);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** The top-level section; {@link GuardrailsConfig#DEFAULT} when absent, null after a reported problem. */
    @Nullable
    GuardrailsConfig read(@Nullable Field field, Map<String, GuardrailsConfig.Scope> agents, TeamReader.Models models) {
        if (field == null) {
            return new GuardrailsConfig(
                    true,
                    GuardrailsConfig.Scope.EMPTY,
                    agents,
                    List.of(),
                    false,
                    false,
                    GuardrailsConfig.Audit.ON,
                    null);
        }
        if (GuardrailFields.isOff(field.value())) {
            return new GuardrailsConfig(
                    false,
                    GuardrailsConfig.Scope.EMPTY,
                    Map.of(),
                    List.of(),
                    false,
                    false,
                    new GuardrailsConfig.Audit(false, null),
                    null);
        }
        int before = check.problemCount();
        MapNode map = check.map(field, "the spec");
        if (map == null) {
            return null;
        }
        String where = WHERE;
        check.onlyKeys(map, where, TOP_KEYS);
        GuardrailsConfig.Scope run = scopes.read(map, where);
        List<String> approvalTools = List.of();
        boolean endRun = false;
        MapNode approvals = check.map(check.field(map, "approvals", where, false), where);
        if (approvals != null) {
            String inner = "the approvals of " + where;
            check.onlyKeys(approvals, inner, List.of("tools", "on-deny"));
            approvalTools = fields.toolNames(
                    check.list(check.field(approvals, "tools", inner, false), inner), "a tool in " + inner);
            String onDeny = check.choice(
                    check.field(approvals, "on-deny", inner, false), inner, List.of("continue", "end-run"));
            endRun = "end-run".equals(onDeny);
        }
        String capabilities = check.choice(
                check.field(map, "capabilities", where, false), where, List.of("allow-by-default", "deny-by-default"));
        GuardrailsConfig.Audit audit = audit(check.field(map, "audit", where, false), where);
        GuardrailsConfig.Judge judge = null;
        if (map.fields().get("injection") instanceof Field injection && injection.value() instanceof MapNode inner) {
            judge = judge(check.field(inner, "judge", "the injection guardrail of " + where, false), models);
        }
        if (check.problemCount() > before || audit == null) {
            return null;
        }
        return new GuardrailsConfig(
                true, run, agents, approvalTools, endRun, "deny-by-default".equals(capabilities), audit, judge);
    }

    /** {@code judge:} under the run's {@code injection:}; null when absent or after a reported problem. */
    private GuardrailsConfig.@Nullable Judge judge(@Nullable Field field, TeamReader.Models models) {
        if (field == null) {
            return null;
        }
        String where = "the injection judge";
        if (field.value() instanceof Scalar) {
            String model = check.string(field, where);
            if (model == null) {
                return null;
            }
            models.check(field, model, where);
            return new GuardrailsConfig.Judge(model, "uncertain", 0.5, Duration.ofSeconds(30));
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        int before = check.problemCount();
        check.onlyKeys(map, where, List.of("model", "checks", "threshold", "timeout"));
        Field modelField = check.field(map, "model", where, true);
        String model = check.string(modelField, where);
        if (modelField != null && model != null) {
            models.check(modelField, model, where);
        }
        Field checksField = check.field(map, "checks", where, false);
        String checks =
                checksField == null ? "uncertain" : check.choice(checksField, where, List.of("uncertain", "all"));
        double threshold = 0.5;
        Field thresholdField = check.field(map, "threshold", where, false);
        if (thresholdField != null) {
            var value = check.nonNegativeDecimal(thresholdField, where);
            if (value != null && (value.doubleValue() > 1 || value.doubleValue() == 0)) {
                check.report(
                        thresholdField.value().pos(),
                        "'threshold' of " + where + " must be above 0 and at most 1, got " + value,
                        "e.g. 'threshold: 0.5': the combined score from which a text is an injection");
            } else if (value != null) {
                threshold = value.doubleValue();
            }
        }
        Field timeoutField = check.field(map, "timeout", where, false);
        Duration timeout = timeoutField == null ? Duration.ofSeconds(30) : check.duration(timeoutField, where);
        if (check.problemCount() > before || model == null || checks == null || timeout == null) {
            return null;
        }
        return new GuardrailsConfig.Judge(model, checks, threshold, timeout);
    }

    /** Whether the capabilities are denied by default, read ahead of the agents whose permissions it shapes. */
    static boolean denyByDefault(@Nullable Field field) {
        if (field != null
                && field.value() instanceof MapNode map
                && map.fields().get("capabilities") instanceof Field capabilities
                && capabilities.value() instanceof Scalar scalar) {
            return scalar.text().equals("deny-by-default");
        }
        return false;
    }

    /** An agent's {@code guardrails:}; null when absent or after a reported problem. */
    GuardrailsConfig.@Nullable Scope agent(@Nullable Field field, String agent) {
        if (field == null) {
            return null;
        }
        String where = "the guardrails of " + agent;
        if (GuardrailFields.isOff(field.value())) {
            return new GuardrailsConfig.Scope(
                    new GuardrailsConfig.Pii("off", List.of(), List.of(), null, List.of()),
                    new GuardrailsConfig.Injection(false, List.of(), "pass", "pass", "pass", "delimit", false),
                    false,
                    null,
                    null,
                    0);
        }
        MapNode map = check.map(field, agent);
        if (map == null) {
            return null;
        }
        int before = check.problemCount();
        check.onlyKeys(map, where, GuardrailScopeReader.SCOPE_KEYS);
        GuardrailsConfig.Scope scope = scopes.read(map, where);
        return check.problemCount() > before ? null : scope;
    }

    private GuardrailsConfig.@Nullable Audit audit(@Nullable Field field, String where) {
        if (field == null) {
            return GuardrailsConfig.Audit.ON;
        }
        if (field.value() instanceof Scalar) {
            Boolean on = check.bool(field, where);
            return on == null ? null : new GuardrailsConfig.Audit(on, null);
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        String inner = "the audit log of " + where;
        check.onlyKeys(map, inner, List.of("key-env"));
        Field keyField = check.field(map, "key-env", inner, false);
        String variable = check.string(keyField, inner);
        if (keyField != null && variable != null && !SpecReader.isVariableName(variable)) {
            check.report(
                    keyField.value().pos(),
                    "'key-env' in " + inner + " must name an environment variable, like TROUPE_AUDIT_KEY",
                    "write the variable's name, not its value: the key is read when the run starts and never stored");
            return null;
        }
        return new GuardrailsConfig.Audit(true, variable);
    }

    /** Keeps {@code name}, a tool that an agent's permissions or a guardrail names at {@code pos}, to be checked. */
    void namedTool(YamlTree.Pos pos, String name, String what) {
        fields.tool(pos, name, what);
    }

    /** The tools that guardrails and permissions name, for {@link ToolsReader#checkNamed}. */
    List<ToolsReader.Named> namedTools() {
        return fields.tools();
    }
}

package io.troupe.config;

import io.troupe.config.YamlTree.Field;
import io.troupe.config.YamlTree.Kind;
import io.troupe.config.YamlTree.ListNode;
import io.troupe.config.YamlTree.MapNode;
import io.troupe.config.YamlTree.Node;
import io.troupe.config.YamlTree.Scalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads the guardrails of one scope, the run's or an agent's, for a {@link GuardrailsReader}: PII, injection, canary,
 * links, rate limits and the longest tool result. Every mistake is reported at its node. Not thread-safe.
 */
final class GuardrailScopeReader {
    static final List<String> SCOPE_KEYS =
            List.of("pii", "injection", "canary", "links", "rate-limits", "max-tool-result");
    static final List<String> PII_TYPES =
            List.of("EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "PERSON", "ADDRESS", "SECRET");
    static final List<String> PLACES = List.of("task", "messages", "tool-arguments", "tool-results", "answers");
    static final List<String> RESPONSES = List.of("pass", "quarantine", "ask", "block", "end-run");
    private static final Pattern RATE = Pattern.compile("(\\d{1,9})\\s*/\\s*(\\d{0,9})\\s*(ms|s|sec|m|min|h|hour)");

    private final Checker check;
    private final GuardrailFields fields;

    GuardrailScopeReader(Checker check, GuardrailFields fields) {
        this.check = check;
        this.fields = fields;
    }

    /** The {@link #SCOPE_KEYS} of {@code map}; its unknown keys are for the caller to report. */
    GuardrailsConfig.Scope read(MapNode map, String where) {
        Boolean canary = check.bool(check.field(map, "canary", where, false), where);
        Long maxResult = check.integer(check.field(map, "max-tool-result", where, false), where, 0);
        return new GuardrailsConfig.Scope(
                pii(check.field(map, "pii", where, false), where),
                injection(check.field(map, "injection", where, false), where),
                canary,
                links(check.field(map, "links", where, false), where),
                rates(check.field(map, "rate-limits", where, false), where),
                maxResult == null ? null : maxResult.intValue());
    }

    private GuardrailsConfig.@Nullable Pii pii(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        List<String> actions = List.of("off", "redact", "block", "ask");
        if (field.value() instanceof Scalar) {
            String action = GuardrailFields.isOff(field.value()) ? "off" : check.choice(field, where, actions);
            return action == null ? null : new GuardrailsConfig.Pii(action, List.of(), List.of(), null, List.of());
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        String inner = "the pii guardrail of " + where;
        check.onlyKeys(map, inner, List.of("action", "types", "where", "min-confidence", "restore-for"));
        Field actionField = check.field(map, "action", inner, false);
        String action = actionField == null ? "redact" : check.choice(actionField, inner, actions);
        List<String> types = new ArrayList<>();
        ListNode typeList = check.list(check.field(map, "types", inner, false), inner);
        if (typeList != null) {
            for (Node item : typeList.items()) {
                String type = item instanceof Scalar s && s.kind() == Kind.STRING
                        ? s.text().toUpperCase(Locale.ROOT).replace('-', '_')
                        : null;
                if (type == null || !PII_TYPES.contains(type)) {
                    List<String> names = PII_TYPES.stream()
                            .map(t -> t.toLowerCase(Locale.ROOT).replace('_', '-'))
                            .toList();
                    String given = item instanceof Scalar s ? s.text() : null;
                    String near = given == null ? null : Hints.nearest(given, names);
                    check.report(
                            item.pos(),
                            "unknown PII type" + (given == null ? "" : " '" + given + "'") + " in " + inner,
                            (near == null ? "" : Hints.didYouMean(given, near) + " ") + "types are "
                                    + String.join(", ", names));
                } else {
                    types.add(type);
                }
            }
        }
        List<String> places = places(check.field(map, "where", inner, false), inner, PLACES);
        Double confidence = null;
        Field confidenceField = check.field(map, "min-confidence", inner, false);
        if (confidenceField != null) {
            var value = check.nonNegativeDecimal(confidenceField, inner);
            if (value != null && value.doubleValue() > 1) {
                check.report(
                        confidenceField.value().pos(),
                        "'min-confidence' in " + inner + " must be between 0 and 1, got " + value,
                        "e.g. 'min-confidence: 0.5'");
            } else if (value != null) {
                confidence = value.doubleValue();
            }
        }
        List<String> restore = fields.toolNames(
                check.list(check.field(map, "restore-for", inner, false), inner), "a tool in " + inner);
        return action == null ? null : new GuardrailsConfig.Pii(action, types, places, confidence, restore);
    }

    private GuardrailsConfig.@Nullable Injection injection(@Nullable Field field, String where) {
        if (field == null) {
            return null;
        }
        if (field.value() instanceof Scalar) {
            if (GuardrailFields.isOff(field.value())) {
                return new GuardrailsConfig.Injection(false, List.of(), "pass", "pass", "pass", "delimit", false);
            }
            String mode = check.choice(field, where, List.of("off", "standard", "rules-only"));
            return mode == null
                    ? null
                    : new GuardrailsConfig.Injection(
                            !mode.equals("off"),
                            List.of(),
                            "block",
                            "quarantine",
                            "pass",
                            "delimit",
                            !mode.equals("rules-only"));
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        String inner = "the injection guardrail of " + where;
        check.onlyKeys(
                map,
                inner,
                List.of("where", "on-injection", "on-suspicious", "on-benign", "spotlight", "classifier", "judge"));
        if (!where.equals(GuardrailsReader.WHERE) && map.fields().get("judge") instanceof Field judge) {
            check.report(
                    judge.keyPos(),
                    "'judge' in " + inner + ": the injection judge serves the whole run",
                    "move 'judge' to the top-level 'guardrails: { injection: { judge: ... } }'");
        }
        List<String> places =
                places(check.field(map, "where", inner, false), inner, List.of("task", "messages", "tool-results"));
        String onInjection = response(map, "on-injection", inner, "block");
        String onSuspicious = response(map, "on-suspicious", inner, "quarantine");
        String onBenign = response(map, "on-benign", inner, "pass");
        Field spotlightField = check.field(map, "spotlight", inner, false);
        String spotlight = spotlightField == null
                ? "delimit"
                : check.choice(spotlightField, inner, List.of("delimit", "datamark", "base64"));
        Boolean classifier = check.bool(check.field(map, "classifier", inner, false), inner);
        if (onInjection == null || onSuspicious == null || onBenign == null || spotlight == null) {
            return null;
        }
        return new GuardrailsConfig.Injection(
                true, places, onInjection, onSuspicious, onBenign, spotlight, classifier == null || classifier);
    }

    private @Nullable String response(MapNode map, String key, String where, String fallback) {
        Field field = check.field(map, key, where, false);
        return field == null ? fallback : check.choice(field, where, RESPONSES);
    }

    private GuardrailsConfig.@Nullable Links links(@Nullable Field field, String where) {
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        String inner = "the links guardrail of " + where;
        check.onlyKeys(map, inner, List.of("allow", "action"));
        List<String> allow = new ArrayList<>();
        ListNode hosts = check.list(check.field(map, "allow", inner, false), inner);
        if (hosts != null) {
            for (Node item : hosts.items()) {
                if (item instanceof Scalar s
                        && s.kind() == Kind.STRING
                        && s.text().matches("(\\*\\.)?[A-Za-z0-9.-]+")) {
                    allow.add(s.text());
                } else {
                    check.report(
                            item.pos(),
                            "an allowed host of " + inner + " must be a host name like example.com or *.example.com",
                            "write host names only: no scheme, path or port");
                }
            }
        }
        Field actionField = check.field(map, "action", inner, false);
        String action = actionField == null ? "remove" : check.choice(actionField, inner, List.of("remove", "block"));
        return action == null ? null : new GuardrailsConfig.Links(allow, action.equals("block"));
    }

    private GuardrailsConfig.@Nullable Rates rates(@Nullable Field field, String where) {
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        String inner = "the rate limits of " + where;
        check.onlyKeys(map, inner, List.of("model-calls", "tool-calls", "tools"));
        GuardrailsConfig.Rate model = rate(check.field(map, "model-calls", inner, false), inner);
        GuardrailsConfig.Rate tool = rate(check.field(map, "tool-calls", inner, false), inner);
        Map<String, GuardrailsConfig.Rate> tools = new LinkedHashMap<>();
        MapNode perTool = check.map(check.field(map, "tools", inner, false), inner);
        if (perTool != null) {
            for (Field entry : perTool.fields().values()) {
                GuardrailsConfig.Rate rate = rate(entry, "the tools of " + inner);
                if (rate != null) {
                    tools.put(entry.key(), rate);
                    fields.tool(entry.keyPos(), entry.key(), "a tool in the tools of " + inner);
                }
            }
        }
        return new GuardrailsConfig.Rates(model, tool, tools);
    }

    private GuardrailsConfig.@Nullable Rate rate(@Nullable Field field, String where) {
        String text = check.string(field, where);
        if (field == null || text == null) {
            return null;
        }
        Matcher m = RATE.matcher(text.strip());
        long count = m.matches() ? (m.group(2).isEmpty() ? 1 : Long.parseLong(m.group(2))) : 0;
        long calls = m.matches() ? Long.parseLong(m.group(1)) : 0;
        if (!m.matches() || count == 0 || calls == 0 || calls > Integer.MAX_VALUE) {
            check.report(
                    field.value().pos(),
                    "'" + field.key() + "' in " + where + " is '" + text + "', which is not a rate",
                    "write calls per window, like '30/min', '5/s', '100/10m' or '1000/h'");
            return null;
        }
        Duration unit = switch (m.group(3)) {
            case "ms" -> Duration.ofMillis(1);
            case "s", "sec" -> Duration.ofSeconds(1);
            case "m", "min" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        return new GuardrailsConfig.Rate((int) calls, unit.multipliedBy(count));
    }

    private List<String> places(@Nullable Field field, String where, List<String> allowed) {
        List<String> places = new ArrayList<>();
        ListNode list = check.list(field, where);
        if (list == null) {
            return places;
        }
        for (Node item : list.items()) {
            if (item instanceof Scalar s && s.kind() == Kind.STRING && allowed.contains(s.text())) {
                places.add(s.text());
            } else {
                check.report(
                        item.pos(), "unknown place in 'where' of " + where, "places are " + String.join(", ", allowed));
            }
        }
        return places;
    }
}

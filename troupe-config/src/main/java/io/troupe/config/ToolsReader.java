package io.troupe.config;

import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolTraits;
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
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code tools:} section, the built-in tools a spec switches on, and checks the tools agents name: a
 * built-in tool that needs no settings ({@code clock}, {@code calculator}) is switched on by naming it; one that needs
 * settings must be under {@code tools:}; any other name must come from a plugin jar, which only {@code troupe run}
 * can check. Not thread-safe.
 */
final class ToolsReader {
    private static final Map<String, List<String>> KEYS = Map.of(
            "clock", List.of("kind", "zone"),
            "calculator", List.of("kind"),
            "http-get", List.of("kind", "allow", "max-bytes", "timeout"),
            "files", List.of("kind", "workspace", "write", "max-bytes"),
            "sql", List.of("kind", "url", "read-only", "max-rows", "timeout"));
    private static final Map<String, String> EXAMPLES = Map.of(
            "http-get", "tools: { http-get: { allow: [en.wikipedia.org] } }",
            "files", "tools: { files: { workspace: ./work } }",
            "sql", "tools: { sql: { url: \"jdbc:h2:./shop\" } }");

    /** What any tool entry may say besides its settings: where its arguments go, its data, its sensitivity. */
    static final List<String> TRAIT_KEYS = List.of("sinks", "data", "sensitive");

    private static final List<String> SINKS = List.of("shell", "shell-argument", "sql", "path", "html", "url");

    private final Checker check;
    private final Map<String, ToolConfig> tools = new LinkedHashMap<>();
    private final Map<String, ToolTraits> traits = new LinkedHashMap<>();
    /** Every name under {@code tools:}, those with mistakes included, so that a use is not reported again. */
    private final java.util.Set<String> declared = new java.util.HashSet<>();
    /** The tools agents name, in order. */
    private final java.util.Set<String> usedByAgents = new java.util.LinkedHashSet<>();

    /** A tool named outside an agent's tools (an approval, a rate limit, permissions), at {@code pos}, as {@code what}. */
    record Named(YamlTree.Pos pos, String name, String what) {}

    /**
     * Reports each of {@code named} that is a near miss of a tool the spec defines or its agents use ('calculater'
     * for 'calculator'): such a guard or permission would silently apply to nothing. A name near none of them may be a
     * tool that a plugin or an MCP server provides, which only a run can check.
     */
    void checkNamed(List<Named> named) {
        java.util.Set<String> known = new java.util.LinkedHashSet<>(usedByAgents);
        known.addAll(tools.keySet());
        known.addAll(declared);
        for (Named name : named) {
            if (known.contains(name.name())) {
                continue;
            }
            String near = Hints.nearest(name.name(), known);
            if (near != null) {
                check.report(
                        name.pos(),
                        name.what() + " is '" + name.name() + "', which is no tool of this spec",
                        Hints.unknownNameHint(name.name(), known, "tools"));
            }
        }
    }

    ToolsReader(Checker check) {
        this.check = check;
    }

    /** Reads the {@code tools:} mapping, if any. */
    void read(@Nullable Field field) {
        MapNode map = check.map(field, "the spec");
        if (map == null) {
            return;
        }
        for (Field entry : map.fields().values()) {
            String name = entry.key();
            declared.add(name);
            if (!io.troupe.api.Checks.isName(name)) {
                check.report(
                        entry.keyPos(),
                        "tool name '" + name + "' is not a valid name",
                        "start with a letter, then use letters, digits, '_' or '-'");
                continue;
            }
            MapNode settings;
            if (entry.value() instanceof Scalar scalar
                    && (scalar.kind() == Kind.NULL
                            || (scalar.kind() == Kind.STRING && scalar.text().isEmpty()))) {
                settings = new MapNode(scalar.pos(), Map.of()); // 'clock:' with nothing after it
            } else {
                settings = check.map(entry, "tools");
                if (settings == null) {
                    continue;
                }
            }
            String where = "tool '" + name + "'";
            Field kindField = settings.fields().get("kind");
            String kind = kindField == null ? name : check.choice(kindField, where, ToolConfig.KINDS);
            if (kind == null) {
                continue;
            }
            ToolTraits declared = traits(settings, where);
            if (declared != null && !declared.equals(ToolTraits.NONE)) {
                traits.put(name, declared);
            }
            if (!KEYS.containsKey(kind)) {
                if (kindField == null
                        && !settings.fields().isEmpty()
                        && TRAIT_KEYS.containsAll(settings.fields().keySet())) {
                    continue; // a plugin tool's traits
                }
                check.report(
                        entry.keyPos(),
                        "'" + name + "' is not a built-in tool",
                        "built-in tools are " + String.join(", ", ToolConfig.KINDS) + "; give another name a"
                                + " 'kind:', e.g. 'web: { kind: http-get, allow: [example.com] }'. A plugin tool's"
                                + " entry may only say " + String.join(", ", TRAIT_KEYS) + " (e.g. 'transfer: {"
                                + " sensitive: true }')");
                continue;
            }
            List<String> keys = new ArrayList<>(KEYS.get(kind));
            keys.addAll(TRAIT_KEYS);
            check.onlyKeys(settings, where, keys);
            ToolConfig config = read(kind, name, settings, where);
            if (config != null) {
                tools.put(name, config);
            }
        }
    }

    private @Nullable ToolConfig read(String kind, String name, MapNode settings, String where) {
        return switch (kind) {
            case "clock" -> {
                Field zoneField = check.field(settings, "zone", where, false);
                String zone = check.string(zoneField, where);
                if (zoneField != null && zone != null && !isZone(zone)) {
                    check.report(
                            zoneField.value().pos(),
                            "'zone' of " + where + " is '" + zone + "', which is no time zone",
                            Hints.nearest(zone, java.time.ZoneId.getAvailableZoneIds()) instanceof String near
                                    ? Hints.didYouMean(zone, near)
                                    : "write a region such as 'Europe/Paris', or 'UTC' or an offset such as '+02:00'");
                    yield null;
                }
                yield new ToolConfig.Clock(name, zone);
            }
            case "calculator" -> new ToolConfig.Calculator(name);
            case "http-get" -> {
                List<String> allow = hosts(check.list(check.field(settings, "allow", where, true), where), where);
                Long maxBytes = longValue(settings, "max-bytes", where);
                Duration timeout = check.duration(check.field(settings, "timeout", where, false), where);
                yield allow == null ? null : new ToolConfig.HttpGet(name, allow, maxBytes, timeout);
            }
            case "files" -> {
                String workspace = check.string(check.field(settings, "workspace", where, true), where);
                Boolean write = check.bool(check.field(settings, "write", where, false), where);
                Long maxBytes = longValue(settings, "max-bytes", where);
                yield workspace == null || workspace.isBlank()
                        ? null
                        : new ToolConfig.Files(name, workspace, write != null && write, maxBytes);
            }
            default -> {
                Field urlField = check.field(settings, "url", where, true);
                String url = check.string(urlField, where);
                if (urlField != null && url != null && !url.startsWith("jdbc:")) {
                    check.report(
                            urlField.value().pos(),
                            "'url' in " + where + " is not a JDBC URL",
                            "write it like 'url: \"jdbc:h2:./shop\"' or 'url: \"jdbc:postgresql://host/db\"'");
                    url = null;
                }
                Boolean readOnly = check.bool(check.field(settings, "read-only", where, false), where);
                Long maxRows = check.integer(check.field(settings, "max-rows", where, false), where, 1);
                Duration timeout = check.duration(check.field(settings, "timeout", where, false), where);
                yield url == null
                        ? null
                        : new ToolConfig.Sql(
                                name,
                                url,
                                readOnly == null || readOnly,
                                maxRows == null ? null : maxRows.intValue(),
                                timeout);
            }
        };
    }

    /**
     * Checks a tool that the agent {@code where} names: a built-in one that needs settings must be under {@code
     * tools:}; {@code clock} and {@code calculator} are switched on by naming them.
     */
    void used(Node item, String tool, String where) {
        usedByAgents.add(tool);
        if (declared.contains(tool) || tools.containsKey(tool)) {
            return;
        }
        switch (tool) {
            case "clock" -> tools.put(tool, new ToolConfig.Clock(tool, null));
            case "calculator" -> tools.put(tool, new ToolConfig.Calculator(tool));
            case "http-get", "files", "sql" ->
                check.report(
                        item.pos(),
                        where + " uses the built-in tool '" + tool + "', which needs settings under 'tools:'",
                        "add it, e.g. '" + EXAMPLES.get(tool) + "'");
            default -> {} // a plugin tool: troupe run checks that a plugin provides it
        }
    }

    /**
     * The traits of {@code settings}: {@code sinks: { arg: kind }}, {@code data: [scope]}, {@code sensitive: true};
     * null after a reported problem.
     */
    private @Nullable ToolTraits traits(MapNode settings, String where) {
        ToolTraits traits = ToolTraits.NONE;
        int before = check.problemCount();
        MapNode sinks = check.map(check.field(settings, "sinks", where, false), where);
        if (sinks != null) {
            for (Field sink : sinks.fields().values()) {
                Sink parsed = sink(sink, "argument '" + sink.key() + "' of " + where);
                if (parsed != null) {
                    traits = traits.withSink(sink.key(), parsed);
                }
            }
        }
        ListNode data = check.list(check.field(settings, "data", where, false), where);
        if (data != null) {
            for (Node item : data.items()) {
                String scope = check.nameItem(item, "a data scope of " + where);
                if (scope != null) {
                    traits = traits.withData(scope);
                }
            }
        }
        Boolean sensitive = check.bool(check.field(settings, "sensitive", where, false), where);
        if (sensitive != null && sensitive) {
            traits = traits.asSensitive();
        }
        return check.problemCount() > before ? null : traits;
    }

    private @Nullable Sink sink(Field field, String where) {
        if (field.value() instanceof Scalar) {
            String kind = check.choice(field, where, SINKS);
            return kind == null ? null : sink(kind, null, List.of(), where, field);
        }
        MapNode map = check.map(field, where);
        if (map == null) {
            return null;
        }
        check.onlyKeys(map, where, List.of("kind", "root", "allow", "statements"));
        String kind = check.choice(check.field(map, "kind", where, true), where, SINKS);
        String root = check.string(check.field(map, "root", where, false), where);
        List<String> values = new ArrayList<>();
        for (String key : List.of("allow", "statements")) {
            ListNode list = check.list(check.field(map, key, where, false), where);
            if (list != null) {
                for (Node item : list.items()) {
                    if (item instanceof Scalar s
                            && s.kind() == Kind.STRING
                            && !s.text().isBlank()) {
                        values.add(s.text());
                    } else {
                        check.report(
                                item.pos(), "'" + key + "' of " + where + " lists a non-text value", "write words");
                    }
                }
            }
        }
        return kind == null ? null : sink(kind, root, values, where, field);
    }

    private @Nullable Sink sink(String kind, @Nullable String root, List<String> values, String where, Field field) {
        try {
            return switch (kind) {
                case "shell" -> Sink.shell();
                case "shell-argument" -> Sink.shellArgument();
                case "sql" -> values.isEmpty() ? Sink.sql() : Sink.sql(values.toArray(String[]::new));
                case "path" -> new Sink.FilePath(root);
                case "html" -> Sink.html();
                default -> new Sink.Url(java.util.Set.copyOf(values));
            };
        } catch (IllegalArgumentException e) {
            check.report(field.value().pos(), where + ": " + e.getMessage(), "fix the sink's settings");
            return null;
        }
    }

    /** The traits the spec declares, by tool name. */
    Map<String, ToolTraits> traits() {
        return traits;
    }

    /** The tools switched on, by name. */
    Map<String, ToolConfig> tools() {
        return tools;
    }

    private @Nullable List<String> hosts(@Nullable ListNode list, String where) {
        if (list == null) {
            return null;
        }
        List<String> hosts = new ArrayList<>();
        for (Node item : list.items()) {
            if (item instanceof Scalar scalar
                    && scalar.kind() == Kind.STRING
                    && scalar.text().matches("(\\*\\.)?[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+]")) {
                hosts.add(scalar.text());
            } else {
                check.report(
                        item.pos(),
                        "an allowed host of " + where + " must be a host name like example.com or *.example.com",
                        "write host names only: no scheme, path or port");
            }
        }
        if (hosts.isEmpty() && list.items().isEmpty()) {
            check.report(
                    list.pos(), "'allow' in " + where + " lists no host", "list the hosts the tool may fetch from");
            return null;
        }
        return hosts.size() == list.items().size() ? hosts : null;
    }

    private @Nullable Long longValue(MapNode settings, String key, String where) {
        return check.integer(check.field(settings, key, where, false), where, 1);
    }

    private static boolean isZone(String zone) {
        try {
            java.time.ZoneId.of(zone);
            return true;
        } catch (java.time.DateTimeException e) {
            return false;
        }
    }
}

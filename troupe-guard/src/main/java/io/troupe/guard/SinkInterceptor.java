package io.troupe.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolTraits;
import io.troupe.guard.sink.AnsiCheck;
import io.troupe.guard.sink.HtmlCheck;
import io.troupe.guard.sink.PathCheck;
import io.troupe.guard.sink.ShellCheck;
import io.troupe.guard.sink.SinkCheck;
import io.troupe.guard.sink.SqlCheck;
import io.troupe.guard.sink.UrlCheck;
import io.troupe.guard.sink.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Output handling on the seam: before a tool runs, each argument it declares as going to a {@link Sink} passes that
 * sink's check (command and SQL injection, path traversal, scripts, URLs outside an allow-list), and every string
 * argument of every tool passes the terminal-escape check. Any violation blocks the call with every reason, so that
 * the model can repair its arguments. Thread-safe.
 */
final class SinkInterceptor implements Interceptor {
    static final String NAME = "sinks";
    /** The points it applies to. */
    static final Set<Point> POINTS = Set.copyOf(Set.of(Point.TOOL_USE));

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AnsiCheck ANSI = new AnsiCheck();

    private final Function<String, ToolTraits> traits;
    private final Set<String> defaultHosts;
    private final Map<Sink, SinkCheck> checks = new ConcurrentHashMap<>();

    /**
     * A sink guardrail.
     *
     * @param traits the traits of a tool, by name
     * @param defaultHosts the hosts a URL sink without its own allow-list accepts
     */
    SinkInterceptor(Function<String, ToolTraits> traits, Set<String> defaultHosts) {
        this.traits = traits;
        this.defaultHosts = Set.copyOf(defaultHosts);
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    /** The check of {@code sink}. */
    SinkCheck check(Sink sink) {
        return checks.computeIfAbsent(sink, s -> switch (s) {
            case Sink.Shell shell -> shell.command() ? ShellCheck.command() : ShellCheck.argument();
            case Sink.Sql sql -> SqlCheck.allowing(sql.statements());
            case Sink.FilePath path ->
                path.root() == null ? PathCheck.under(Path.of("")) : PathCheck.onDisk(Path.of(path.root()));
            case Sink.Html html -> new HtmlCheck();
            case Sink.Url url -> UrlCheck.allowing(url.hosts().isEmpty() ? defaultHosts : url.hosts());
        });
    }

    @Override
    public Verdict intercept(Interception interception) {
        if (!(interception.subject() instanceof Interception.Subject.ToolUse use)) {
            return Verdict.proceed();
        }
        String tool = use.call().name();
        JsonNode root;
        try {
            root = JSON.readTree(use.call().arguments());
        } catch (java.io.IOException e) {
            return Verdict.block("the arguments of tool '" + tool + "' are not valid JSON");
        }
        if (root == null || !root.isObject()) {
            return Verdict.block("the arguments of tool '" + tool + "' must be a JSON object");
        }
        List<String> reasons = new ArrayList<>();
        for (Map.Entry<String, Sink> declared : traits.apply(tool).sinks().entrySet()) {
            String pointer = declared.getKey().startsWith("/") ? declared.getKey() : "/" + declared.getKey();
            JsonNode value = root.at(pointer);
            if (value.isMissingNode() || value.isNull()) {
                continue;
            }
            String text = value.isTextual() ? value.asText() : value.toString();
            for (Violation violation : check(declared.getValue()).check(text)) {
                reasons.add(declared.getKey() + " (" + declared.getValue().kind() + "): " + violation.message() + " ["
                        + violation.code() + "]");
            }
        }
        List<String> strings = new ArrayList<>();
        collect(root, "", strings);
        for (String entry : strings) {
            int split = entry.indexOf('\u0000');
            for (Violation violation : ANSI.check(entry.substring(split + 1))) {
                reasons.add(entry.substring(0, split) + " (terminal): " + violation.message() + " [" + violation.code()
                        + "]");
            }
        }
        return reasons.isEmpty()
                ? Verdict.proceed()
                : Verdict.block("the arguments of tool '" + tool + "' are unsafe: " + String.join("; ", reasons));
    }

    private static void collect(JsonNode node, String path, List<String> into) {
        if (node.isTextual()) {
            into.add((path.isEmpty() ? "/" : path) + '\u0000' + node.asText());
        } else if (node.isObject()) {
            node.properties().forEach(e -> collect(e.getValue(), path + "/" + e.getKey(), into));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "/" + i, into);
            }
        }
    }
}

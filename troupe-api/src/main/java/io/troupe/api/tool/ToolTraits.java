package io.troupe.api.tool;

import io.troupe.api.Checks;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a tool does that safety checks need to know, beyond what the model is told ({@link ToolDefinition}): where
 * its arguments go, which data it touches, and whether a person should approve each call.
 *
 * <p>The runtime refuses a call of a tool whose data scopes the calling agent may not use ({@code
 * io.troupe.api.agent.Permissions#data()}). A guard checks the declared sinks of the arguments and holds calls of
 * sensitive tools for a person. Immutable.
 *
 * @param sinks where arguments end up: a top-level argument name (or a JSON pointer such as {@code /query/sql}) to
 *     its sink
 * @param data the data scopes the tool reads or writes, e.g. {@code customers}; the calling agent needs each one
 * @param sensitive whether each call needs a person's approval when a guard enforces approvals
 */
public record ToolTraits(Map<String, Sink> sinks, Set<String> data, boolean sensitive) {
    /** A tool without sinks, data scopes or sensitivity. */
    public static final ToolTraits NONE = new ToolTraits(Map.of(), Set.of(), false);

    public ToolTraits {
        Checks.notNull(sinks, "ToolTraits sinks");
        for (Map.Entry<String, Sink> sink : sinks.entrySet()) {
            Checks.notBlank(sink.getKey(), "ToolTraits sink argument");
            Checks.notNull(sink.getValue(), "ToolTraits sink of '" + sink.getKey() + "'");
        }
        sinks = Map.copyOf(sinks);
        data = Set.copyOf(Checks.names(data, "ToolTraits data scopes"));
    }

    /** These traits with {@code argument} going to {@code sink} too. */
    public ToolTraits withSink(String argument, Sink sink) {
        Map<String, Sink> more = new LinkedHashMap<>(sinks);
        more.put(Checks.notBlank(argument, "sink argument"), Checks.notNull(sink, "sink"));
        return new ToolTraits(more, data, sensitive);
    }

    /** These traits with the data scopes {@code scopes} too. */
    public ToolTraits withData(String... scopes) {
        Set<String> more = new HashSet<>(data);
        more.addAll(Set.of(scopes));
        return new ToolTraits(sinks, more, sensitive);
    }

    /** These traits, marked sensitive: each call needs a person's approval. */
    public ToolTraits asSensitive() {
        return new ToolTraits(sinks, data, true);
    }

    /**
     * These traits and {@code more}: the sinks of both ({@code more}'s win for the same argument), every data scope,
     * and sensitive if either is.
     */
    public ToolTraits and(ToolTraits more) {
        Map<String, Sink> allSinks = new LinkedHashMap<>(sinks);
        allSinks.putAll(more.sinks());
        Set<String> allData = new HashSet<>(data);
        allData.addAll(more.data());
        return new ToolTraits(allSinks, allData, sensitive || more.sensitive());
    }
}

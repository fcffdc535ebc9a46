package io.troupe.guard.sink;

import io.troupe.guard.Direction;
import io.troupe.guard.Finding;
import io.troupe.guard.GuardContext;
import io.troupe.guard.Guardrail;
import io.troupe.guard.Verdict;
import java.util.ArrayList;
import java.util.List;

/**
 * Links and images in model outputs and messages whose host is not allowed: removed (each becomes
 * {@code [link removed]}) or, if {@code block} is set, the whole text is blocked. Stops exfiltration through
 * rendered markdown images and links. Thread-safe.
 */
public final class LinkGuardrail implements Guardrail {
    private final UrlCheck check;
    private final boolean block;

    /** A guardrail that removes, or with {@code block} blocks, links outside {@code check}'s allow-list. */
    public LinkGuardrail(UrlCheck check, boolean block) {
        this.check = check;
        this.block = block;
    }

    @Override
    public String name() {
        return "links";
    }

    @Override
    public boolean appliesTo(Direction direction) {
        return direction == Direction.OUTPUT || direction == Direction.MESSAGE;
    }

    @Override
    public Verdict check(String text, GuardContext context) {
        List<UrlCheck.Found> refused = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        for (UrlCheck.Found found : UrlCheck.find(text)) {
            String problem = check.problem(found.url());
            if (problem != null) {
                refused.add(found);
                findings.add(new Finding(
                        name(),
                        found.image() ? "url.image" : "url.link",
                        (found.image() ? "image " : "link ") + problem + " at " + found.start() + ".." + found.end(),
                        1));
            }
        }
        if (refused.isEmpty()) {
            return Verdict.pass();
        }
        if (block) {
            return new Verdict.Block(refused.size() + " link(s) point outside the allow-list", findings);
        }
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        for (UrlCheck.Found found : refused) {
            if (found.start() < at) {
                continue;
            }
            out.append(text, at, found.start()).append("[link removed]");
            at = found.end();
        }
        out.append(text, at, text.length());
        return new Verdict.Redact(
                out.toString(), "removed " + refused.size() + " link(s) outside the allow-list", findings);
    }
}

package io.troupe.guard;

import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.api.tool.ToolTraits;
import io.troupe.guard.pii.PiiRedactor;
import io.troupe.guard.pii.PiiVault;
import java.util.List;

/**
 * A tool authorised to see personal data: at the moment it runs, the placeholders in its arguments are replaced by
 * the values in the run's vault, and its result is redacted again before it leaves the tool. The journal holds the
 * arguments with placeholders (as the model wrote them) and the redacted result; the raw values exist only in this
 * call's memory. A placeholder whose value the vault does not hold (the run was restarted: vaults live in memory
 * only) fails the call without running the tool. Thread-safe.
 */
final class PiiRestoringTool implements Tool {
    private final Tool tool;
    private final Scopes scopes;
    private final GuardRuns runs;
    private final PiiInterceptor pii;

    PiiRestoringTool(Tool tool, Scopes scopes, GuardRuns runs, PiiInterceptor pii) {
        this.tool = tool;
        this.scopes = scopes;
        this.runs = runs;
        this.pii = pii;
    }

    @Override
    public ToolDefinition definition() {
        return tool.definition();
    }

    @Override
    public ToolTraits traits() {
        return tool.traits();
    }

    @Override
    public ToolResult execute(ToolInvocation invocation) throws Exception {
        PiiPolicy policy = scopes.forAgent(invocation.agentId()).pii();
        if (policy.action() != PiiPolicy.Action.REDACT || !policy.restoreFor().contains(tool.name())) {
            return tool.execute(invocation);
        }
        PiiVault vault = runs.treeOf(invocation.conversationId()).vaultAsIs();
        List<String> unknown = vault.unknownPlaceholders(invocation.arguments());
        if (!unknown.isEmpty()) {
            return ToolResult.error("the values behind " + String.join(", ", unknown) + " are not available, so '"
                    + tool.name() + "' did not run: personal data is kept in memory only, and this run was restarted"
                    + " since the values were seen (or the placeholders were never issued). Ask for the values again.");
        }
        String restored = SubjectTexts.json(invocation.arguments(), vault::restore);
        ToolResult result = tool.execute(new ToolInvocation(
                restored,
                invocation.idempotencyKey(),
                invocation.conversationId(),
                invocation.agentId(),
                invocation.step()));
        String redacted = SubjectTexts.json(
                result.content(),
                text -> PiiRedactor.redact(text, pii.detector(policy).detect(text), vault)
                        .text());
        return redacted.equals(result.content()) ? result : new ToolResult(redacted, result.error());
    }

    @Override
    public String toString() {
        return tool + " (sees personal data)";
    }
}

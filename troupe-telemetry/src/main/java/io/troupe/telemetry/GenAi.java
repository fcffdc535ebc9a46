package io.troupe.telemetry;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attribute, span and metric names Troupe emits: those of the OpenTelemetry GenAI semantic conventions at the
 * pinned version {@link #CONVENTIONS}, and Troupe's own under {@code troupe.*}. The conventions are in Development
 * status, so Troupe pins the version it follows and changes it deliberately.
 */
public final class GenAi {
    /** The version of the GenAI semantic conventions followed. */
    public static final String CONVENTIONS = "semantic-conventions v1.41.0 (GenAI, Development status)";

    /** The schema URL of that version, set on the instrumentation scope. */
    public static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.41.0";

    /** {@code gen_ai.operation.name}: {@code chat}, {@code invoke_agent} or {@code execute_tool}. */
    public static final AttributeKey<String> OPERATION_NAME = AttributeKey.stringKey("gen_ai.operation.name");
    /** {@code gen_ai.provider.name}. */
    public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
    /** {@code gen_ai.request.model}. */
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    /** {@code gen_ai.response.model}. */
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    /** {@code gen_ai.request.max_tokens}. */
    public static final AttributeKey<Long> REQUEST_MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
    /** {@code gen_ai.response.finish_reasons}. */
    public static final AttributeKey<java.util.List<String>> RESPONSE_FINISH_REASONS =
            AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
    /** {@code gen_ai.usage.input_tokens}. */
    public static final AttributeKey<Long> USAGE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    /** {@code gen_ai.usage.output_tokens}. */
    public static final AttributeKey<Long> USAGE_OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    /** {@code gen_ai.conversation.id}: the run's id. */
    public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
    /** {@code gen_ai.agent.name}. */
    public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
    /** {@code gen_ai.agent.id}. */
    public static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");
    /** {@code gen_ai.tool.name}. */
    public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");
    /** {@code gen_ai.tool.call.id}. */
    public static final AttributeKey<String> TOOL_CALL_ID = AttributeKey.stringKey("gen_ai.tool.call.id");
    /** {@code gen_ai.tool.type}: {@code function} for Troupe's tools. */
    public static final AttributeKey<String> TOOL_TYPE = AttributeKey.stringKey("gen_ai.tool.type");
    /** {@code gen_ai.token.type}: {@code input} or {@code output}, on the token usage metric. */
    public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    /** {@code error.type}. */
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    /** The {@code gen_ai.client.token.usage} histogram, in {@code {token}}. */
    public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
    /** The {@code gen_ai.client.operation.duration} histogram, in seconds. */
    public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

    /** Operation names. */
    public static final String CHAT = "chat";
    /** Operation names. */
    public static final String INVOKE_AGENT = "invoke_agent";
    /** Operation names. */
    public static final String EXECUTE_TOOL = "execute_tool";

    /** {@code troupe.step}: the journal step of a model or tool call. */
    public static final AttributeKey<Long> TROUPE_STEP = AttributeKey.longKey("troupe.step");
    /** {@code troupe.seq}: the journal sequence number of the event a span event comes from. */
    public static final AttributeKey<Long> TROUPE_SEQ = AttributeKey.longKey("troupe.seq");
    /** {@code troupe.team}. */
    public static final AttributeKey<String> TROUPE_TEAM = AttributeKey.stringKey("troupe.team");
    /** {@code troupe.outcome}: {@code completed}, {@code budget exceeded}, {@code failed} or {@code cancelled}. */
    public static final AttributeKey<String> TROUPE_OUTCOME = AttributeKey.stringKey("troupe.outcome");
    /**
     * {@code troupe.timing}: {@code observed} (live), {@code journaled} (a replay, with the times the journal recorded)
     * or {@code reconstructed} (a replay of a journal written before times were recorded, times interpolated).
     */
    public static final AttributeKey<String> TROUPE_TIMING = AttributeKey.stringKey("troupe.timing");
    /** {@code troupe.decision.kind}. */
    public static final AttributeKey<String> DECISION_KIND = AttributeKey.stringKey("troupe.decision.kind");
    /** {@code troupe.decision.rule}. */
    public static final AttributeKey<String> DECISION_RULE = AttributeKey.stringKey("troupe.decision.rule");
    /** {@code troupe.decision.chosen}. */
    public static final AttributeKey<String> DECISION_CHOSEN = AttributeKey.stringKey("troupe.decision.chosen");
    /** {@code troupe.decision.reason}. */
    public static final AttributeKey<String> DECISION_REASON = AttributeKey.stringKey("troupe.decision.reason");
    /** {@code troupe.decision.options}. */
    public static final AttributeKey<Long> DECISION_OPTIONS = AttributeKey.longKey("troupe.decision.options");
    /** {@code troupe.decision.margin}: the winner's margin over the runner-up. */
    public static final AttributeKey<Double> DECISION_MARGIN = AttributeKey.doubleKey("troupe.decision.margin");
    /** {@code troupe.decision.runner_up}. */
    public static final AttributeKey<String> DECISION_RUNNER_UP = AttributeKey.stringKey("troupe.decision.runner_up");
    /** {@code troupe.handoff.from}. */
    public static final AttributeKey<String> HANDOFF_FROM = AttributeKey.stringKey("troupe.handoff.from");
    /** {@code troupe.handoff.to}. */
    public static final AttributeKey<String> HANDOFF_TO = AttributeKey.stringKey("troupe.handoff.to");
    /** {@code troupe.verdict.interceptor}. */
    public static final AttributeKey<String> VERDICT_INTERCEPTOR = AttributeKey.stringKey("troupe.verdict.interceptor");
    /** {@code troupe.verdict.kind}: {@code proceed}, {@code replace}, {@code block} or {@code await_human}. */
    public static final AttributeKey<String> VERDICT_KIND = AttributeKey.stringKey("troupe.verdict.kind");
    /** {@code troupe.verdict.point}. */
    public static final AttributeKey<String> VERDICT_POINT = AttributeKey.stringKey("troupe.verdict.point");
    /** {@code troupe.verdict.reason}. */
    public static final AttributeKey<String> VERDICT_REASON = AttributeKey.stringKey("troupe.verdict.reason");
    /** {@code troupe.budget.tokens}: tokens charged by this call. */
    public static final AttributeKey<Long> BUDGET_TOKENS = AttributeKey.longKey("troupe.budget.tokens");
    /** {@code troupe.budget.cost}: US dollars charged by this call. */
    public static final AttributeKey<Double> BUDGET_COST = AttributeKey.doubleKey("troupe.budget.cost");
    /** {@code troupe.budget.tokens_left}. */
    public static final AttributeKey<Long> BUDGET_TOKENS_LEFT = AttributeKey.longKey("troupe.budget.tokens_left");
    /** {@code troupe.budget.cost_left}. */
    public static final AttributeKey<Double> BUDGET_COST_LEFT = AttributeKey.doubleKey("troupe.budget.cost_left");

    private GenAi() {}
}

package io.troupe.tools;

import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import java.math.BigDecimal;

/**
 * {@code calculator}: exact decimal arithmetic, because models are bad at it. See {@link Expression} for what an
 * expression may hold; there is no {@code eval}.
 *
 * <p>Arguments: {@code {"expression": "(19.99 * 3) - 5%2"}}. Result: {@code {"expression": "...", "result":
 * "58.97"}}. Limits: 1,000 characters, 1,000 digits, 100 levels of nesting, whole exponents up to 9,999; division by
 * zero and overflow are refused.
 */
public final class CalculatorTool extends BuiltInTool {
    /** The argument schema. */
    public static final String SCHEMA = """
            {"type":"object","properties":{"expression":{"type":"string","minLength":1,"maxLength":1000,\
            "description":"Arithmetic on decimals: + - * / % ^, parentheses, abs(x), sqrt(x), round(x, digits),\
             min(a, b, ...), max(a, b, ...)"}},"required":["expression"],"additionalProperties":false}""";

    private final ToolDefinition definition;

    /** @param name the tool's name, {@code calculator} by default */
    public CalculatorTool(String name) {
        this.definition = new ToolDefinition(
                name, "Evaluates an arithmetic expression exactly, in decimals. Use it for every calculation.", SCHEMA);
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    @Override
    String run(Arguments arguments, ToolInvocation invocation) throws ToolRefusal {
        String expression = arguments.string("expression");
        BigDecimal result = Expression.evaluate(expression);
        return Arguments.object()
                .put("expression", expression)
                .put("result", result.stripTrailingZeros().toPlainString())
                .toString();
    }
}

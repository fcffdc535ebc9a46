package io.troupe.tools;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * An arithmetic expression, parsed by recursive descent and evaluated in exact decimals: {@code +}, {@code -},
 * {@code *}, {@code /}, {@code %}, {@code ^} (whole exponents), parentheses, unary minus, and {@code abs}, {@code
 * sqrt}, {@code round(x, digits)}, {@code min} and {@code max}. Sums, differences and products are exact; a quotient
 * or square root that does not terminate is rounded to 34 significant digits. Nothing is ever handed to a script
 * engine. Each evaluation is independent; instances are not shared.
 */
final class Expression {
    /** The longest expression read. */
    static final int MAX_LENGTH = 1000;
    /** The most digits a number, an intermediate value or the result may have. */
    static final int MAX_DIGITS = 1000;

    private static final int MAX_DEPTH = 100;
    private static final java.util.Set<String> FUNCTIONS = java.util.Set.of("abs", "sqrt", "round", "min", "max");
    private static final MathContext ROUNDED = MathContext.DECIMAL128;

    private final String text;
    private int at;
    private int depth;

    private Expression(String text) {
        this.text = text;
    }

    /** The value of {@code text}. */
    static BigDecimal evaluate(String text) throws ToolRefusal {
        if (text.length() > MAX_LENGTH) {
            throw new ToolRefusal("the expression is longer than " + MAX_LENGTH + " characters");
        }
        Expression expression = new Expression(text);
        BigDecimal value = expression.sum();
        expression.skipSpaces();
        if (expression.at < text.length()) {
            throw expression.error("unexpected '" + text.charAt(expression.at) + "'");
        }
        return value;
    }

    private BigDecimal sum() throws ToolRefusal {
        BigDecimal value = product();
        while (true) {
            if (eat('+')) {
                value = check(value.add(product()));
            } else if (eat('-')) {
                value = check(value.subtract(product()));
            } else {
                return value;
            }
        }
    }

    private BigDecimal product() throws ToolRefusal {
        BigDecimal value = unary();
        while (true) {
            if (eat('*')) {
                value = check(value.multiply(unary()));
            } else if (eat('/')) {
                value = divide(value, unary());
            } else if (eat('%')) {
                BigDecimal divisor = unary();
                if (divisor.signum() == 0) {
                    throw new ToolRefusal("division by zero (in '%')");
                }
                value = check(value.remainder(divisor));
            } else {
                return value;
            }
        }
    }

    private BigDecimal unary() throws ToolRefusal {
        if (eat('-')) {
            return nested(() -> unary().negate());
        }
        if (eat('+')) {
            return nested(this::unary);
        }
        return power();
    }

    private BigDecimal power() throws ToolRefusal {
        BigDecimal base = primary();
        if (!eat('^')) {
            return base;
        }
        BigDecimal exponent = nested(this::unary); // right-associative: 2^3^2 is 2^9
        int n;
        try {
            n = exponent.intValueExact();
        } catch (ArithmeticException e) {
            throw new ToolRefusal(
                    "the exponent " + exponent.toPlainString() + " must be a whole number from -9999" + " to 9999");
        }
        if (Math.abs(n) > 9999) {
            throw new ToolRefusal("the exponent " + n + " is too large: use one from -9999 to 9999");
        }
        if (base.signum() == 0 && n < 0) {
            throw new ToolRefusal("division by zero (0 to a negative power)");
        }
        long digits = (long) Math.max(1, base.precision() - base.scale()) * Math.abs(n);
        if (base.abs().compareTo(BigDecimal.ONE) > 0 && digits > MAX_DIGITS + 1L) {
            throw overflow();
        }
        BigDecimal result = n >= 0 ? base.pow(n) : BigDecimal.ONE.divide(base.pow(-n), ROUNDED);
        return check(result);
    }

    private BigDecimal primary() throws ToolRefusal {
        skipSpaces();
        if (eat('(')) {
            BigDecimal value = nested(this::sum);
            expect(')');
            return value;
        }
        if (at < text.length() && Character.isLetter(text.charAt(at))) {
            return function();
        }
        return number();
    }

    private BigDecimal function() throws ToolRefusal {
        int start = at;
        while (at < text.length() && Character.isLetter(text.charAt(at))) {
            at++;
        }
        String name = text.substring(start, at);
        if (!FUNCTIONS.contains(name)) {
            at = start;
            throw error("unknown function '" + name + "'; use numbers, + - * / % ^, parentheses and abs, sqrt,"
                    + " round, min, max");
        }
        if (!eat('(')) {
            throw error("'" + name + "' must be followed by '('");
        }
        List<BigDecimal> args = new ArrayList<>();
        if (!eat(')')) {
            do {
                args.add(nested(this::sum));
            } while (eat(','));
            expect(')');
        }
        return switch (name) {
            case "abs" -> one(name, args).abs();
            case "sqrt" -> {
                BigDecimal x = one(name, args);
                if (x.signum() < 0) {
                    throw new ToolRefusal("the square root of a negative number (" + x.toPlainString() + ")");
                }
                yield check(x.sqrt(ROUNDED).stripTrailingZeros());
            }
            case "round" -> {
                if (args.isEmpty() || args.size() > 2) {
                    throw new ToolRefusal("round takes one or two arguments: round(x) or round(x, digits)");
                }
                int digits;
                try {
                    digits = args.size() == 1 ? 0 : args.get(1).intValueExact();
                } catch (ArithmeticException e) {
                    throw new ToolRefusal("round's digits must be a whole number");
                }
                if (Math.abs(digits) > MAX_DIGITS) {
                    throw new ToolRefusal("round's digits must be from -" + MAX_DIGITS + " to " + MAX_DIGITS);
                }
                yield args.getFirst().setScale(digits, RoundingMode.HALF_EVEN);
            }
            case "min", "max" -> {
                if (args.isEmpty()) {
                    throw new ToolRefusal(name + " needs at least one argument");
                }
                yield args.stream()
                        .reduce((a, b) -> name.equals("min") ? a.min(b) : a.max(b))
                        .orElseThrow();
            }
            default -> throw new ToolRefusal("unknown function '" + name + "'; use abs, sqrt, round, min or max");
        };
    }

    private static BigDecimal one(String name, List<BigDecimal> args) throws ToolRefusal {
        if (args.size() != 1) {
            throw new ToolRefusal(name + " takes one argument");
        }
        return args.getFirst();
    }

    private BigDecimal number() throws ToolRefusal {
        skipSpaces();
        int start = at;
        while (at < text.length() && (Character.isDigit(text.charAt(at)) || text.charAt(at) == '.')) {
            at++;
        }
        if (at < text.length() && (text.charAt(at) == 'e' || text.charAt(at) == 'E')) {
            int mark = at++;
            if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
                at++;
            }
            int digits = at;
            while (at < text.length() && Character.isDigit(text.charAt(at))) {
                at++;
            }
            if (at == digits) {
                at = mark;
            }
        }
        if (start == at) {
            throw at < text.length() ? error("unexpected '" + text.charAt(at) + "'") : error("a number is missing");
        }
        String literal = text.substring(start, at);
        try {
            return check(new BigDecimal(literal));
        } catch (NumberFormatException e) {
            throw error("'" + literal + "' is not a number");
        }
    }

    private BigDecimal divide(BigDecimal dividend, BigDecimal divisor) throws ToolRefusal {
        if (divisor.signum() == 0) {
            throw new ToolRefusal("division by zero");
        }
        try {
            return check(dividend.divide(divisor));
        } catch (ArithmeticException e) { // no exact quotient, such as 1/3
            return check(dividend.divide(divisor, ROUNDED));
        }
    }

    /** {@code value}, unless it has more digits than {@link #MAX_DIGITS}. */
    private static BigDecimal check(BigDecimal value) throws ToolRefusal {
        if (value.precision() - value.scale() > MAX_DIGITS || value.scale() > MAX_DIGITS) {
            throw overflow();
        }
        return value;
    }

    private static ToolRefusal overflow() {
        return new ToolRefusal("overflow: the result would have more than " + MAX_DIGITS + " digits");
    }

    @FunctionalInterface
    private interface Part {
        BigDecimal read() throws ToolRefusal;
    }

    private BigDecimal nested(Part part) throws ToolRefusal {
        if (++depth > MAX_DEPTH) {
            throw new ToolRefusal("the expression nests more than " + MAX_DEPTH + " levels deep");
        }
        try {
            return part.read();
        } finally {
            depth--;
        }
    }

    private boolean eat(char c) {
        skipSpaces();
        if (at < text.length() && text.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) throws ToolRefusal {
        if (!eat(c)) {
            throw error(
                    at < text.length()
                            ? "expected '" + c + "' but found '" + text.charAt(at) + "'"
                            : "'" + c + "' is missing at the end");
        }
    }

    private void skipSpaces() {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
    }

    private ToolRefusal error(String what) {
        return new ToolRefusal(what + " at position " + (at + 1) + " of '" + text + "'");
    }
}

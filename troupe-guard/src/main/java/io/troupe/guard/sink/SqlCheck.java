package io.troupe.guard.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.BooleanValue;
import net.sf.jsqlparser.expression.DoubleValue;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.LikeExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.SetOperationList;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * SQL injection in a statement that a tool will run, read with a real SQL parser (JSqlParser) and a lexer that
 * knows string literals: stacked queries, statement kinds beyond those allowed (read-only by default), tautologies
 * in a condition ({@code OR 1=1}, {@code OR 'a'='a'}, {@code OR x=x}), comments ({@code --}, {@code #},
 * {@code /* *}{@code /}), system catalogs ({@code information_schema}, {@code pg_catalog}, {@code sqlite_master}…),
 * and functions that sleep, read or write files or run commands. A statement that does not parse is refused:
 * fail closed. Comment markers and keywords inside string literals are data and pass.
 */
public final class SqlCheck implements SinkCheck {
    private static final Pattern DANGEROUS = Pattern.compile(
            "(?i)\\b(sleep|benchmark|pg_sleep|waitfor\\s+delay|load_file|into\\s+(?:out|dump)file|xp_cmdshell|"
                    + "sp_oacreate|lo_import|lo_export|utl_http|utl_inaddr|dbms_pipe|dbms_lock|copy\\s+.{1,200}?\\s+program|"
                    + "load\\s+data|openrowset|opendatasource|exec(?:ute)?\\s+(?:master|xp_|sp_))\\b");
    private static final Set<String> CATALOGS = Set.of(
            "information_schema",
            "pg_catalog",
            "pg_shadow",
            "pg_user",
            "sqlite_master",
            "sqlite_schema",
            "mysql",
            "sys",
            "sysobjects",
            "syscolumns",
            "all_tables",
            "user_tables",
            "dba_users",
            "master");
    private static final Pattern TAUTOLOGY_TEXT = Pattern.compile(
            "(?i)\\bor\\s+(?:(['\"]?)(\\w+)\\1\\s*(?:=|like)\\s*\\1\\2\\1|true\\b|not\\s+false\\b|\\d+\\s*>\\s*0\\b)");

    private final Set<String> allowedKinds;

    private SqlCheck(Set<String> allowedKinds) {
        this.allowedKinds = Set.copyOf(allowedKinds);
    }

    /** Single SELECT statements only (the default for tools that read). */
    public static SqlCheck readOnly() {
        return new SqlCheck(Set.of("SELECT"));
    }

    /** Single statements of the given kinds: any of SELECT, INSERT, UPDATE, DELETE, MERGE, UPSERT. */
    public static SqlCheck allowing(Set<String> kinds) {
        return new SqlCheck(kinds);
    }

    @Override
    public String sink() {
        return "sql";
    }

    @Override
    public List<Violation> check(String sql) {
        Map<String, Violation> found = new LinkedHashMap<>();
        String code = withoutLiterals(sql, found);
        Matcher dangerous = DANGEROUS.matcher(code);
        if (dangerous.find()) {
            put(
                    found,
                    "sql.dangerous-function",
                    "the statement uses " + dangerous.group(1).toUpperCase(Locale.ROOT)
                            + ", which can sleep, touch files or run commands");
        }
        if (TAUTOLOGY_TEXT.matcher(code.replaceAll("''", "")).find()) {
            put(found, "sql.tautology", "a condition is always true (OR 1=1 and the like)");
        }
        Statements statements;
        try {
            statements = CCJSqlParserUtil.parseStatements(sql);
        } catch (JSQLParserException | RuntimeException e) {
            put(found, "sql.unparseable", "the statement is not valid SQL, so it is refused (fail closed)");
            return List.copyOf(found.values());
        } catch (StackOverflowError e) {
            put(
                    found,
                    "sql.unparseable",
                    "the statement is too deeply nested to parse, so it is refused (fail closed)");
            return List.copyOf(found.values());
        }
        if (statements == null || statements.isEmpty()) {
            put(found, "sql.empty", "the value holds no SQL statement");
            return List.copyOf(found.values());
        }
        if (statements.size() > 1) {
            put(found, "sql.stacked-queries", "the value holds " + statements.size() + " statements; one is allowed");
        }
        for (Statement statement : statements) {
            String kind = kind(statement);
            if (!allowedKinds.contains(kind)) {
                put(
                        found,
                        "sql.statement-kind",
                        "a " + kind + " statement is not allowed here; allowed: " + allowedKinds);
            }
            for (Expression condition : conditions(statement)) {
                if (tautology(condition)) {
                    put(found, "sql.tautology", "a condition is always true (OR 1=1 and the like)");
                }
            }
            try {
                for (String table : new TablesNamesFinder<Void>().getTables(statement)) {
                    String schema =
                            table.toLowerCase(Locale.ROOT).replace("`", "").replace("\"", "");
                    String first = schema.contains(".") ? schema.substring(0, schema.indexOf('.')) : schema;
                    if (CATALOGS.contains(first) || CATALOGS.contains(schema)) {
                        put(found, "sql.system-catalog", "the statement reads the system catalog " + table);
                    }
                }
            } catch (RuntimeException e) {
                // some statement kinds are not supported by the finder; the other checks still apply
            }
        }
        return List.copyOf(found.values());
    }

    private static void put(Map<String, Violation> found, String code, String message) {
        found.putIfAbsent(code, new Violation(code, message));
    }

    /** The SQL with string literals and quoted identifiers blanked, noting comments found outside them. */
    private static String withoutLiterals(String sql, Map<String, Violation> found) {
        StringBuilder out = new StringBuilder(sql.length());
        char quote = 0;
        for (int i = 0; i < sql.length(); i++) {
            char c = sql.charAt(i);
            char next = i + 1 < sql.length() ? sql.charAt(i + 1) : '\0';
            if (quote != 0) {
                if (c == quote && next == quote) {
                    i++;
                    out.append("  ");
                    continue;
                }
                if (c == '\\' && quote == '\'') {
                    i++;
                    out.append("  ");
                    continue;
                }
                if (c == quote) {
                    quote = 0;
                    out.append(c);
                } else {
                    out.append(' ');
                }
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                quote = c;
                out.append(c);
            } else if ((c == '-' && next == '-') || c == '#' || (c == '/' && next == '*')) {
                put(
                        found,
                        "sql.comment",
                        "the statement contains a comment (-- # or /* */), often used to cut off the rest of a query");
                out.append(c);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static String kind(Statement statement) {
        String name = statement.getClass().getSimpleName().toUpperCase(Locale.ROOT);
        if (statement instanceof Select) {
            return "SELECT";
        }
        return name;
    }

    private static List<Expression> conditions(Statement statement) {
        List<Expression> conditions = new ArrayList<>();
        if (statement instanceof Select select) {
            addSelect(select, conditions);
        } else if (statement instanceof Update update) {
            Optional.ofNullable(update.getWhere()).ifPresent(conditions::add);
        } else if (statement instanceof Delete delete) {
            Optional.ofNullable(delete.getWhere()).ifPresent(conditions::add);
        }
        return conditions;
    }

    private static void addSelect(Select select, List<Expression> conditions) {
        if (select instanceof PlainSelect plain) {
            Optional.ofNullable(plain.getWhere()).ifPresent(conditions::add);
            Optional.ofNullable(plain.getHaving()).ifPresent(conditions::add);
            if (plain.getJoins() != null) {
                for (Join join : plain.getJoins()) {
                    if (join.getOnExpressions() != null) {
                        conditions.addAll(join.getOnExpressions());
                    }
                }
            }
        } else if (select instanceof SetOperationList set) {
            set.getSelects().forEach(s -> addSelect(s, conditions));
        } else if (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() != null) {
            addSelect(parenthesed.getSelect(), conditions);
        }
    }

    /** Whether an OR in {@code e} has a branch that is always true. */
    private static boolean tautology(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof OrExpression or) {
            return alwaysTrue(or.getLeftExpression())
                    || alwaysTrue(or.getRightExpression())
                    || tautology(or.getLeftExpression())
                    || tautology(or.getRightExpression());
        }
        if (x instanceof AndExpression and) {
            return tautology(and.getLeftExpression()) || tautology(and.getRightExpression());
        }
        if (x instanceof NotExpression not) {
            return tautology(not.getExpression());
        }
        return false;
    }

    private static boolean alwaysTrue(Expression e) {
        Expression x = unwrap(e);
        if (x instanceof OrExpression or) {
            return alwaysTrue(or.getLeftExpression()) || alwaysTrue(or.getRightExpression());
        }
        if (x instanceof AndExpression and) {
            return alwaysTrue(and.getLeftExpression()) && alwaysTrue(and.getRightExpression());
        }
        if (x instanceof BooleanValue b) {
            return b.getValue();
        }
        if (x instanceof LongValue l) {
            return l.getValue() != 0;
        }
        if (x instanceof NotExpression not) {
            Expression inner = unwrap(not.getExpression());
            return inner instanceof BooleanValue b && !b.getValue()
                    || inner instanceof LongValue l && l.getValue() == 0;
        }
        if (x instanceof BinaryExpression binary) {
            Expression left = unwrap(binary.getLeftExpression());
            Expression right = unwrap(binary.getRightExpression());
            if (left.toString().equalsIgnoreCase(right.toString())) {
                return x instanceof EqualsTo
                        || x instanceof GreaterThanEquals
                        || x instanceof MinorThanEquals
                        || x instanceof LikeExpression;
            }
            Optional<Double> a = number(left);
            Optional<Double> b = number(right);
            if (a.isPresent() && b.isPresent()) {
                double l = a.get();
                double r = b.get();
                return x instanceof EqualsTo && l == r
                        || x instanceof NotEqualsTo && l != r
                        || x instanceof GreaterThan && l > r
                        || x instanceof GreaterThanEquals && l >= r
                        || x instanceof MinorThan && l < r
                        || x instanceof MinorThanEquals && l <= r;
            }
            if (left instanceof StringValue ls && right instanceof StringValue rs) {
                return x instanceof EqualsTo && ls.getValue().equals(rs.getValue())
                        || x instanceof NotEqualsTo && !ls.getValue().equals(rs.getValue())
                        || x instanceof LikeExpression && rs.getValue().equals("%");
            }
        }
        return false;
    }

    private static Optional<Double> number(Expression e) {
        if (e instanceof LongValue l) {
            return Optional.of((double) l.getValue());
        }
        if (e instanceof DoubleValue d) {
            return Optional.of(d.getValue());
        }
        return Optional.empty();
    }

    private static Expression unwrap(Expression e) {
        Expression x = e;
        while (true) {
            if (x instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                x = list.get(0);
            } else {
                return x;
            }
        }
    }
}

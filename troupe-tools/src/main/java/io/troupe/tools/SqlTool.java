package io.troupe.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.api.Checks;
import io.troupe.api.tool.Sink;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolTraits;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * {@code sql}: runs one SQL statement on a database given by a JDBC URL, read-only unless the spec says otherwise.
 *
 * <p>Arguments: {@code {"query": "SELECT name FROM customers WHERE city = ?", "parameters": ["Oslo"]}}. Result:
 * {@code {"columns": [...], "rows": [[...], ...], "truncated": false}}, or {@code {"updated": n}} for a write.
 *
 * <p>Read-only is enforced by the database and the tool together, not by reading the SQL: the connection is marked
 * read-only (PostgreSQL, MySQL and others then refuse writes themselves), the statement must be a query (JDBC's
 * {@code executeQuery}, which drivers refuse for other statements before running them), and the transaction is
 * always rolled back, so that even a query with side effects changes nothing. One statement per call; at most
 * {@code maxRows} rows; {@code timeout} per statement. The driver must be on the classpath or in a plugin jar.
 */
public final class SqlTool extends BuiltInTool {
    /** The argument schema. */
    public static final String SCHEMA = """
            {"type":"object","properties":{\
            "query":{"type":"string","minLength":1,"maxLength":20000,"description":"One SQL statement; use ? for\
             parameters"},\
            "parameters":{"type":"array","maxItems":100,"items":{"type":["string","number","boolean","null"]},\
            "description":"Values for the ? placeholders, in order"}},\
            "required":["query"],"additionalProperties":false}""";

    /**
     * The database and limits of an {@code sql} tool.
     *
     * @param url the JDBC URL, such as {@code jdbc:h2:./data/shop} or {@code jdbc:postgresql://db/shop?user=app}
     * @param readOnly whether only queries may run, and nothing is ever committed
     * @param maxRows the most rows returned
     * @param timeout the longest one statement may run
     */
    public record Settings(String url, boolean readOnly, int maxRows, Duration timeout) {
        public static final int DEFAULT_MAX_ROWS = 100;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

        public Settings {
            Checks.notBlank(url, "sql url");
            if (!url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("the sql url must be a JDBC URL starting with 'jdbc:', got " + url);
            }
            if (maxRows < 1) {
                throw new IllegalArgumentException("sql maxRows must be positive, got " + maxRows);
            }
            Checks.notNull(timeout, "sql timeout");
        }

        @Override
        public String toString() { // the URL may carry a password
            return "Settings[readOnly=" + readOnly + ", maxRows=" + maxRows + ", timeout=" + timeout + "]";
        }
    }

    private final ToolDefinition definition;
    private final Settings settings;
    private final ClassLoader drivers;

    /**
     * @param name the tool's name, {@code sql} by default
     * @param drivers where to look for JDBC drivers besides the classpath, such as the plugin jars
     */
    public SqlTool(String name, Settings settings, ClassLoader drivers) {
        this.definition = new ToolDefinition(
                name,
                settings.readOnly()
                        ? "Runs one read-only SQL query (SELECT) on the database and returns the rows."
                        : "Runs one SQL statement on the database: a query returns rows, a write the count updated.",
                SCHEMA);
        this.settings = settings;
        this.drivers = drivers;
    }

    @Override
    public ToolDefinition definition() {
        return definition;
    }

    /** Its {@code query} goes to the database: a single query, or a single data change when not read-only. */
    @Override
    public ToolTraits traits() {
        return ToolTraits.NONE.withSink(
                "query", settings.readOnly() ? Sink.sql() : Sink.sql("SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"));
    }

    @Override
    String run(Arguments arguments, ToolInvocation invocation) throws ToolRefusal {
        String query = arguments.string("query");
        if (!SqlText.isOneStatement(query)) {
            throw new ToolRefusal("give one SQL statement per call, without ';' between statements");
        }
        try (Connection connection = connect()) {
            connection.setReadOnly(settings.readOnly());
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(query)) {
                statement.setMaxRows(settings.maxRows() + 1);
                statement.setQueryTimeout((int) Math.max(1, settings.timeout().toSeconds()));
                bind(statement, arguments.parameters());
                String result;
                if (settings.readOnly()) {
                    try (ResultSet rows = statement.executeQuery()) {
                        result = rows(rows);
                    } catch (SQLException e) {
                        throw new ToolRefusal("this sql tool is read-only and runs queries (SELECT) only; the"
                                + " database refused the statement: " + firstLine(e));
                    } finally {
                        connection.rollback(); // a query with side effects changes nothing
                    }
                } else {
                    if (statement.execute()) {
                        try (ResultSet rows = statement.getResultSet()) {
                            result = rows(rows);
                        }
                    } else {
                        result = Arguments.object()
                                .put("updated", statement.getUpdateCount())
                                .toString();
                    }
                    connection.commit();
                }
                return result;
            } catch (SQLException e) {
                connection.rollback();
                throw new ToolRefusal("the database refused the statement: " + firstLine(e));
            }
        } catch (SQLException e) {
            throw new ToolRefusal("cannot use the database: " + firstLine(e));
        }
    }

    private Connection connect() throws SQLException, ToolRefusal {
        for (Driver driver : ServiceLoader.load(Driver.class, drivers)) {
            if (driver.acceptsURL(settings.url())) {
                Connection connection = driver.connect(settings.url(), new Properties());
                if (connection != null) {
                    return connection;
                }
            }
        }
        try {
            return DriverManager.getConnection(settings.url());
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState())
                    && e.getMessage() != null
                    && e.getMessage().contains("suitable")) {
                throw new ToolRefusal("no JDBC driver for " + scheme() + " is installed; put the driver's jar in the"
                        + " --plugins folder");
            }
            throw e;
        }
    }

    private String scheme() {
        String[] parts = settings.url().split(":");
        return parts.length > 1 ? parts[0] + ":" + parts[1] : settings.url();
    }

    private static void bind(PreparedStatement statement, JsonNode parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            JsonNode value = parameters.get(i);
            if (value.isNull()) {
                statement.setObject(i + 1, null);
            } else if (value.isBoolean()) {
                statement.setBoolean(i + 1, value.booleanValue());
            } else if (value.isNumber()) {
                statement.setBigDecimal(i + 1, value.decimalValue());
            } else {
                statement.setString(i + 1, value.asText());
            }
        }
    }

    private String rows(ResultSet rows) throws SQLException {
        ResultSetMetaData meta = rows.getMetaData();
        ObjectNode result = Arguments.object();
        ArrayNode columns = result.putArray("columns");
        for (int c = 1; c <= meta.getColumnCount(); c++) {
            columns.add(meta.getColumnLabel(c));
        }
        ArrayNode list = result.putArray("rows");
        int count = 0;
        boolean truncated = false;
        while (rows.next()) {
            if (count == settings.maxRows()) {
                truncated = true;
                break;
            }
            ArrayNode row = list.addArray();
            for (int c = 1; c <= meta.getColumnCount(); c++) {
                Object value = rows.getObject(c);
                switch (value) {
                    case null -> row.addNull();
                    case Integer i -> row.add(i);
                    case Long l -> row.add(l);
                    case BigDecimal d -> row.add(d);
                    case Double d -> row.add(d);
                    case Boolean b -> row.add(b);
                    default -> row.add(value.toString());
                }
            }
            count++;
        }
        result.put("truncated", truncated);
        return result.toString();
    }

    private static String firstLine(SQLException e) {
        String message = String.valueOf(e.getMessage());
        return message.lines().findFirst().orElse(message);
    }
}

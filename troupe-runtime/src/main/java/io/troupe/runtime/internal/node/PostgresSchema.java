package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import io.troupe.api.ConfigurationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Creates the journal's tables in PostgreSQL if they are missing, so that a node can start on an empty database.
 * Idempotent, and safe when several nodes start at once: every statement is {@code IF NOT EXISTS}, and the whole
 * script runs in one transaction under an advisory lock, since PostgreSQL's {@code CREATE TABLE IF NOT EXISTS} can
 * still fail when two sessions race. The tables are those of pekko-persistence-jdbc's default schema, unqualified, so
 * that a {@code currentSchema} option in the URL chooses where they go.
 */
final class PostgresSchema {
    private PostgresSchema() {}

    /** An arbitrary constant that names Troupe's schema lock among the database's advisory locks. */
    private static final long LOCK = 0x74726f757065L; // "troupe"

    private static final List<String> STATEMENTS = List.of(
            """
            CREATE TABLE IF NOT EXISTS event_journal(
              ordering BIGSERIAL,
              persistence_id VARCHAR(255) NOT NULL,
              sequence_number BIGINT NOT NULL,
              deleted BOOLEAN DEFAULT FALSE NOT NULL,
              writer VARCHAR(255) NOT NULL,
              write_timestamp BIGINT,
              adapter_manifest VARCHAR(255),
              event_ser_id INTEGER NOT NULL,
              event_ser_manifest VARCHAR(255) NOT NULL,
              event_payload BYTEA NOT NULL,
              meta_ser_id INTEGER,
              meta_ser_manifest VARCHAR(255),
              meta_payload BYTEA,
              PRIMARY KEY(persistence_id, sequence_number))""", "CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON event_journal(ordering)", """
            CREATE TABLE IF NOT EXISTS event_tag(
              event_id BIGINT,
              tag VARCHAR(256),
              PRIMARY KEY(event_id, tag),
              CONSTRAINT fk_event_journal FOREIGN KEY(event_id) REFERENCES event_journal(ordering) ON DELETE CASCADE)""", """
            CREATE TABLE IF NOT EXISTS snapshot(
              persistence_id VARCHAR(255) NOT NULL,
              sequence_number BIGINT NOT NULL,
              created BIGINT NOT NULL,
              snapshot_ser_id INTEGER NOT NULL,
              snapshot_ser_manifest VARCHAR(255) NOT NULL,
              snapshot_payload BYTEA NOT NULL,
              meta_ser_id INTEGER,
              meta_ser_manifest VARCHAR(255),
              meta_payload BYTEA,
              PRIMARY KEY(persistence_id, sequence_number))""");

    /**
     * Creates the tables that are missing, with the URL and credentials of {@code config}'s shared database.
     *
     * @throws ConfigurationException if the database cannot be reached or refuses, with how to fix it
     */
    static void createIfMissing(Config config) {
        Config db = config.getConfig(NodeConfig.SLICK + ".db");
        String url = db.getString("url");
        Properties properties = new Properties();
        if (db.hasPath("user")) {
            properties.setProperty("user", db.getString("user"));
        }
        if (db.hasPath("password")) {
            properties.setProperty("password", db.getString("password"));
        }
        properties.setProperty("connectTimeout", "10");
        try (Connection connection = DriverManager.getConnection(url, properties)) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                for (String sql : STATEMENTS) {
                    statement.execute(sql);
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new ConfigurationException("Cannot prepare the PostgreSQL journal at " + url + ": "
                    + e.getMessage() + " (SQL state " + e.getSQLState() + "). Check that the server is reachable,"
                    + " that the database exists, and that TROUPE_JOURNAL_USER and TROUPE_JOURNAL_PASSWORD (or PGUSER"
                    + " and PGPASSWORD) name a user that may create tables in it.");
        }
    }
}

package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.troupe.runtime.Journal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the Pekko configuration of a runtime. Layers, strongest first: the builder's overrides, the journal's
 * settings, {@code application.conf}, for a node without seed nodes the settings of a quiet cluster of one ({@code
 * troupe-one-node.conf}), Troupe's defaults ({@code troupe-defaults.conf}), and the libraries' {@code
 * reference.conf}s.
 */
final class NodeConfig {
    private NodeConfig() {}

    static Config build(Journal journal, String overrides, ClassLoader loader) {
        Config reference = ConfigFactory.defaultReference(loader);
        Config chosen = ConfigFactory.parseString(overrides)
                .withFallback(journalConfig(journal))
                .withFallback(ConfigFactory.defaultApplication(loader));
        Config defaults = ConfigFactory.parseResources(loader, "troupe-defaults.conf");
        Config layered = chosen.withFallback(defaults).withFallback(reference);
        if (layered.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
            // A node without seed nodes joins itself: a cluster of one, tuned to be quiet when idle.
            layered = chosen.withFallback(ConfigFactory.parseResources(loader, "troupe-one-node.conf"))
                    .withFallback(defaults)
                    .withFallback(reference);
        }
        List<String> modules = new ArrayList<>(layered.getStringList("pekko.serialization.jackson.jackson-modules"));
        if (!modules.contains(TroupeJacksonModule.class.getName())) {
            modules.add(TroupeJacksonModule.class.getName());
        }
        return ConfigFactory.empty()
                .withValue("pekko.serialization.jackson.jackson-modules", ConfigValueFactory.fromIterable(modules))
                .withFallback(layered)
                .resolve();
    }

    /** Whether the journal is JDBC-based, so that its schema must be created. */
    static boolean usesJdbc(Journal journal) {
        return switch (journal) {
            case Journal.InMemory inMemory -> false;
            case Journal.H2Memory h2 -> true;
            case Journal.H2File h2 -> true;
        };
    }

    /** The H2 journal's schema script ({@code troupe-h2-schema.sql}: payloads in the row, not as BLOBs). */
    static String h2Schema() {
        try (InputStream in = NodeConfig.class.getResourceAsStream("/troupe-h2-schema.sql")) {
            if (in == null) {
                throw new IllegalStateException("troupe-h2-schema.sql is missing from troupe-runtime's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read troupe-h2-schema.sql from troupe-runtime's jar", e);
        }
    }

    private static Config journalConfig(Journal journal) {
        return switch (journal) {
            case Journal.InMemory inMemory ->
                ConfigFactory.parseString("pekko.persistence.journal.plugin = \"troupe.memory-journal\"\n")
                        .withValue(
                                "troupe.memory-journal.keep-finished-runs",
                                ConfigValueFactory.fromAnyRef(inMemory.keepFinishedRuns()))
                        .withValue(
                                "troupe.memory-journal.keep-finished-for",
                                ConfigValueFactory.fromAnyRef(
                                        inMemory.keepFinishedFor().toMillis() + "ms"));
            case Journal.H2Memory h2 -> jdbc("jdbc:h2:mem:" + h2.name() + ";DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1");
            case Journal.H2File h2 ->
                jdbc(
                        // The location is a validated path (Journal.H2File refuses ';'), so it cannot add settings.
                        // WRITE_DELAY=0 writes each commit at once, so a killed process loses no journaled step;
                        // FILE_LOCK=FS releases the lock as soon as a killed process is gone; no trace file.
                        "jdbc:h2:file:"
                                + h2.directory().resolve("troupe").toString().replace('\\', '/')
                                + ";DATABASE_TO_UPPER=false;WRITE_DELAY=0;FILE_LOCK=FS;TRACE_LEVEL_FILE=0");
        };
    }

    private static Config jdbc(String url) {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "jdbc-journal"
                pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                jdbc-journal.use-shared-db = "slick"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                pekko-persistence-jdbc.shared-databases.slick {
                  profile = "slick.jdbc.H2Profile$"
                  db {
                    user = "sa"
                    password = ""
                    driver = "org.h2.Driver"
                    numThreads = 4
                    maxConnections = 4
                    minConnections = 1
                    # Thousands of conversations may start at once; queue their queries rather than reject them.
                    queueSize = 100000
                  }
                }
                # A burst of thousands of new conversations queues up on the database; wait rather than fail.
                jdbc-journal.circuit-breaker { call-timeout = 60s, max-failures = 100 }
                jdbc-journal.bufferSize = 100000
                # Group commit: one batch insert at a time, so that the writes of concurrent runs that arrive while
                # it commits share the next transaction (up to batchSize rows). Each write still completes only once
                # its transaction has committed, before the entity acts on it.
                jdbc-journal.parallelism = 1
                jdbc-journal.batchSize = 400
                jdbc-snapshot-store.circuit-breaker { call-timeout = 60s, max-failures = 100 }
                pekko.cluster.sharding.waiting-for-state-timeout = 30s
                pekko.cluster.sharding.updating-state-timeout = 30s
                """)
                .withValue("pekko-persistence-jdbc.shared-databases.slick.db.url", ConfigValueFactory.fromAnyRef(url));
    }
}

package io.troupe.runtime.internal.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.troupe.runtime.Journal;
import io.troupe.runtime.internal.conversation.ConversationEntity;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Builds the Pekko configuration of a runtime. Layers, strongest first: the builder's overrides, the journal's
 * settings, {@code application.conf}, for a node without seed nodes the settings of a quiet cluster of one ({@code
 * troupe-one-node.conf}), Troupe's defaults ({@code troupe-defaults.conf}), and the libraries' {@code
 * reference.conf}s.
 */
final class NodeConfig {
    private NodeConfig() {}

    /** Pekko Management's Cluster Bootstrap extension, which finds the other nodes (Kubernetes API discovery, say). */
    static final String CLUSTER_BOOTSTRAP = "org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap";

    /** The shard regions that Pekko's sharding health check waits for until the node is ready. */
    static final String SHARDING_HEALTH_CHECK_NAMES = "pekko.cluster.sharding.healthcheck.names";

    static Config build(Journal journal, String overrides, ClassLoader loader) {
        return build(journal, overrides, loader, System::getenv);
    }

    /** Like {@link #build(Journal, String, ClassLoader)}, reading the journal's credentials from {@code env}. */
    static Config build(Journal journal, String overrides, ClassLoader loader, Function<String, @Nullable String> env) {
        Config reference = ConfigFactory.defaultReference(loader);
        Config chosen = ConfigFactory.parseString(overrides)
                .withFallback(journalConfig(journal, env))
                .withFallback(ConfigFactory.defaultApplication(loader));
        Config defaults = ConfigFactory.parseResources(loader, "troupe-defaults.conf");
        Config layered = chosen.withFallback(defaults).withFallback(reference);
        // Resolved first: Cluster Bootstrap is added to pekko.extensions by a substitution (extensions += ...).
        if (joinsItself(layered.resolve())) {
            // A node that joins itself is a cluster of one, tuned to be quiet when idle.
            layered = chosen.withFallback(ConfigFactory.parseResources(loader, "troupe-one-node.conf"))
                    .withFallback(defaults)
                    .withFallback(reference);
        }
        List<String> modules = new ArrayList<>(layered.getStringList("pekko.serialization.jackson.jackson-modules"));
        if (!modules.contains(TroupeJacksonModule.class.getName())) {
            modules.add(TroupeJacksonModule.class.getName());
        }
        // Pekko's sharding health check (a readiness check under Pekko Management) waits for the regions it names:
        // the conversations' region is named here, where its entity type is defined, for every node.
        List<String> regions = new ArrayList<>(layered.getStringList(SHARDING_HEALTH_CHECK_NAMES));
        if (!regions.contains(ConversationEntity.TYPE_KEY.name())) {
            regions.add(ConversationEntity.TYPE_KEY.name());
        }
        return ConfigFactory.empty()
                .withValue("pekko.serialization.jackson.jackson-modules", ConfigValueFactory.fromIterable(modules))
                .withValue(SHARDING_HEALTH_CHECK_NAMES, ConfigValueFactory.fromIterable(regions))
                .withFallback(layered)
                .resolve();
    }

    /** Whether the journal is JDBC-based, so that its schema must be created. */
    static boolean usesJdbc(Journal journal) {
        return switch (journal) {
            case Journal.InMemory inMemory -> false;
            case Journal.H2Memory h2 -> true;
            case Journal.H2File h2 -> true;
            case Journal.Postgres postgres -> true;
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

    /**
     * Whether a node with {@code config} joins itself, a cluster of one: it has no seed nodes and does not find its
     * peers through Pekko Management's Cluster Bootstrap (started through {@code pekko.extensions}).
     */
    static boolean joinsItself(Config config) {
        return config.getStringList("pekko.cluster.seed-nodes").isEmpty()
                && !config.getStringList("pekko.extensions").contains(CLUSTER_BOOTSTRAP);
    }

    private static Config journalConfig(Journal journal, Function<String, @Nullable String> env) {
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
                        // DB_CLOSE_ON_EXIT=FALSE: a server stopped by SIGTERM closes the node (and its journal
                        // connections) in its own shutdown hook; H2 must not close the database under it first.
                        "jdbc:h2:file:"
                                + h2.directory().resolve("troupe").toString().replace('\\', '/')
                                + ";DATABASE_TO_UPPER=false;WRITE_DELAY=0;FILE_LOCK=FS;TRACE_LEVEL_FILE=0"
                                + ";DB_CLOSE_ON_EXIT=FALSE");
            case Journal.Postgres postgres -> postgres(postgres, env);
        };
    }

    /**
     * The PostgreSQL journal: the credentials come from the journal or the environment and go into the configuration
     * only, never into the URL. More connections than H2's four, since several nodes' entities write at once and
     * each write is a network round trip.
     */
    private static Config postgres(Journal.Postgres postgres, Function<String, @Nullable String> env) {
        String user = postgres.user(env);
        String password = postgres.password(env);
        Config config = jdbc(postgres.url())
                .withValue(SLICK + ".profile", ConfigValueFactory.fromAnyRef("slick.jdbc.PostgresProfile$"))
                .withValue(SLICK + ".db.driver", ConfigValueFactory.fromAnyRef("org.postgresql.Driver"))
                .withValue(SLICK + ".db.numThreads", ConfigValueFactory.fromAnyRef(8))
                .withValue(SLICK + ".db.maxConnections", ConfigValueFactory.fromAnyRef(8))
                .withValue(SLICK + ".db.minConnections", ConfigValueFactory.fromAnyRef(2))
                .withoutPath(SLICK + ".db.user")
                .withoutPath(SLICK + ".db.password");
        if (user != null) {
            config = config.withValue(SLICK + ".db.user", ConfigValueFactory.fromAnyRef(user));
        }
        if (password != null) {
            config = config.withValue(SLICK + ".db.password", ConfigValueFactory.fromAnyRef(password));
        }
        return config;
    }

    static final String SLICK = "pekko-persistence-jdbc.shared-databases.slick";

    private static Config jdbc(String url) {
        return ConfigFactory.parseString("""
                pekko.persistence.journal.plugin = "jdbc-journal"
                pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                jdbc-journal.use-shared-db = "slick"
                jdbc-snapshot-store.use-shared-db = "slick"
                jdbc-read-journal.use-shared-db = "slick"
                # Reading the run index asks the sequence actor, which replies at once unless the machine is loaded;
                # one second (the default) fails `troupe runs` and the server's run list on a busy node.
                jdbc-read-journal.journal-sequence-retrieval.ask-timeout = 15s
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
                # Reading runs by tag asks the read journal's sequence actor, which answers slowly on a busy node.
                jdbc-read-journal.journal-sequence-retrieval.ask-timeout = 30s
                pekko.cluster.sharding.waiting-for-state-timeout = 30s
                pekko.cluster.sharding.updating-state-timeout = 30s
                """)
                .withValue("pekko-persistence-jdbc.shared-databases.slick.db.url", ConfigValueFactory.fromAnyRef(url));
    }
}

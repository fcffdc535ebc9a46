package io.troupe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;
import org.junit.jupiter.api.Test;

/**
 * {@link JournalReadinessCheck} on a real JDBC journal (H2 in memory, through pekko-persistence-jdbc, as Troupe
 * configures it): ready when a read answers, not ready, with the cause and what to check, when it fails.
 */
class JournalReadinessCheckTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Config jdbc(String database) {
        return ConfigFactory.parseString("""
                        pekko.actor.provider = local
                        pekko.loglevel = WARNING
                        pekko.persistence.journal.plugin = "jdbc-journal"
                        pekko.persistence.snapshot-store.plugin = "jdbc-snapshot-store"
                        jdbc-journal.use-shared-db = "slick"
                        jdbc-snapshot-store.use-shared-db = "slick"
                        jdbc-read-journal.use-shared-db = "slick"
                        pekko-persistence-jdbc.shared-databases.slick {
                          profile = "slick.jdbc.H2Profile$"
                          db {
                            url = "jdbc:h2:mem:%s;DATABASE_TO_UPPER=false;DB_CLOSE_DELAY=-1"
                            driver = "org.h2.Driver"
                            user = "sa"
                            password = ""
                            numThreads = 2
                            maxConnections = 2
                            minConnections = 1
                          }
                        }
                        """.formatted(database)).withFallback(ConfigFactory.load());
    }

    private static void stop(ActorSystem system) throws Exception {
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void get_whenTheJournalAnswers_isReady() throws Exception {
        ActorSystem system = ActorSystem.create("ready", jdbc("ready"));
        try {
            SchemaUtils.createIfNotExists(system).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);

            Boolean ready = new JournalReadinessCheck(system)
                    .get()
                    .toCompletableFuture()
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(ready).isTrue();
        } finally {
            stop(system);
        }
    }

    @Test
    void get_whenTheJournalFails_isNotReady_andSaysWhy() throws Exception {
        ActorSystem system = ActorSystem.create("unready", jdbc("unready")); // no tables: every read fails
        try {
            assertThatThrownBy(() -> new JournalReadinessCheck(system)
                            .get()
                            .toCompletableFuture()
                            .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(JournalReadinessCheck.JournalUnreachableException.class)
                    .hasMessageStartingWith("The journal did not answer a read: ")
                    .hasMessageContaining("event_journal")
                    .hasMessageEndingWith("Check that the database is up and reachable from this pod, and the"
                            + " journal's user and password");
        } finally {
            stop(system);
        }
    }

    @Test
    void get_beforeTheNodeIsAnUpMember_isNotReady_withoutReading() throws Exception {
        Config clustered = ConfigFactory.parseString("""
                        pekko.actor.provider = cluster
                        pekko.remote.artery.canonical.hostname = "127.0.0.1"
                        pekko.remote.artery.canonical.port = 0
                        """).withFallback(jdbc("joining"));
        ActorSystem system = ActorSystem.create("joining", clustered); // joins nothing; no tables either
        try {
            assertThat(new JournalReadinessCheck(system)
                            .get()
                            .toCompletableFuture()
                            .get(5, TimeUnit.SECONDS))
                    .isFalse();
        } finally {
            stop(system);
        }
    }

    @Test
    void get_onAJournalWithoutQueries_isReady() throws Exception {
        ActorSystem system = ActorSystem.create(
                "memory",
                ConfigFactory.parseString("pekko.actor.provider = local\n"
                                + "pekko.persistence.journal.plugin = \"pekko.persistence.journal.inmem\"")
                        .withFallback(ConfigFactory.load()));
        try {
            assertThat(new JournalReadinessCheck(system)
                            .get()
                            .toCompletableFuture()
                            .get(5, TimeUnit.SECONDS))
                    .isTrue();
        } finally {
            stop(system);
        }
    }
}

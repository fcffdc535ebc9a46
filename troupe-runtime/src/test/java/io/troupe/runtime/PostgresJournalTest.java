package io.troupe.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresJournalTest {
    @Test
    void postgres_withAPlainUrl_isDurable_andReadsCredentialsFromTheEnvironment() {
        Journal.Postgres journal = (Journal.Postgres) Journal.postgres("jdbc:postgresql://db:5432/troupe");
        Map<String, String> env = Map.of("PGUSER", "pg-user", "TROUPE_JOURNAL_PASSWORD", "s3cret", "PGPASSWORD", "x");

        assertThat(journal.durable()).isTrue();
        assertThat(journal.user(env::get)).isEqualTo("pg-user");
        assertThat(journal.password(env::get)).isEqualTo("s3cret");
        assertThat(journal.user(Map.<String, String>of()::get)).isNull();
    }

    @Test
    void postgres_withCredentialsGiven_neverPrintsThePassword() {
        Journal journal = Journal.postgres("jdbc:postgresql://db/troupe", "troupe", "s3cret");

        assertThat(journal.toString())
                .contains("user=troupe")
                .contains("password=***")
                .doesNotContain("s3cret");
    }

    @Test
    void postgres_withAPasswordInTheUrl_isRefused_withoutEchoingIt() {
        assertThatThrownBy(() -> Journal.postgres("jdbc:postgresql://db/troupe?user=a&password=s3cret"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("it holds a password")
                .hasMessageContaining("TROUPE_JOURNAL_PASSWORD")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> Journal.postgres("jdbc:postgresql://a:s3cret@db/troupe"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("credentials before the host")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void postgres_withAnotherKindOfUrl_isRefused_withAnExample() {
        assertThatThrownBy(() -> Journal.postgres("jdbc:h2:mem:x;INIT=RUNSCRIPT FROM 'x'"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("starts with jdbc:postgresql://")
                .hasMessageContaining("jdbc:postgresql://db.example.com:5432/troupe");
        assertThatThrownBy(() -> Journal.postgres("jdbc:postgresql://db/troupe x"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a space or a control character");
    }
}

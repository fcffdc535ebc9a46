package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.api.ConfigurationException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokenTest {
    private static final String UNSET = "TROUPE_TEST_TOKEN_THAT_IS_NEVER_SET";

    @Test
    void read_aTokenFile_givesItsContentStripped(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), "  s3cret-token\n");

        assertThat(BearerToken.read(file, UNSET)).isEqualTo("s3cret-token");
    }

    @Test
    void read_anEmptyOrMissingFile_isRefusedWithItsPath(@TempDir Path dir) throws Exception {
        Path empty = Files.writeString(dir.resolve("empty"), " \n");
        Path missing = dir.resolve("missing");

        assertThatThrownBy(() -> BearerToken.read(empty, UNSET))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageEndingWith("The token file " + empty + " is empty");
        assertThatThrownBy(() -> BearerToken.read(missing, UNSET))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("Cannot read the token file " + missing);
    }

    @Test
    void read_noFileAndAnUnsetVariable_givesNoToken() {
        assertThat(BearerToken.read(null, UNSET)).isNull();
    }
}

package io.troupe.interop.a2a.wire;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PartTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void json_readsAnyJsonValue_scalarsToo() {
        assertThat(Part.json(json, "{\"price\": 120}").path("price").asInt()).isEqualTo(120);
        assertThat(Part.json(json, " [1, 2] ").size()).isEqualTo(2);
        assertThat(Part.json(json, "42").asInt()).isEqualTo(42);
        assertThat(Part.json(json, "\"on time\"").asText()).isEqualTo("on time");
    }

    @Test
    void json_ofNothingOrOfText_isNull() {
        assertThat(Part.json(json, null)).isNull();
        assertThat(Part.json(json, "  ")).isNull();
        assertThat(Part.json(json, "I can do it for 120")).isNull();
        assertThat(Part.json(json, "{\"price\": ")).isNull();
    }
}

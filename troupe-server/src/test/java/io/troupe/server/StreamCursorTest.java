package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamCursorTest {
    @Test
    void format_andParse_roundTrip_withChildRunsInOrder() {
        Map<String, Long> children = new LinkedHashMap<>();
        children.put("3f2a0c1e-2b7d-4c8e-9f00-1a2b3c4d5e6f.4", 7L);
        children.put("3f2a0c1e-2b7d-4c8e-9f00-1a2b3c4d5e6f.4.2", 0L);
        StreamCursor cursor = new StreamCursor(12, children);

        assertThat(cursor.format())
                .isEqualTo("12;3f2a0c1e-2b7d-4c8e-9f00-1a2b3c4d5e6f.4=7;3f2a0c1e-2b7d-4c8e-9f00-1a2b3c4d5e6f.4.2=0");
        assertThat(StreamCursor.parse(cursor.format())).isEqualTo(cursor);
        assertThat(StreamCursor.parse("5")).isEqualTo(new StreamCursor(5, Map.of()));
        assertThat(StreamCursor.parse("  ")).isNull();
    }

    @Test
    void parse_textTheServerDidNotSend_isABadRequest() {
        for (String bad : new String[] {"x", "-1", "3;", "3;a", "3;a=b", "3;a=1;a=2", "3;a b=1", "3;=1"}) {
            assertThatThrownBy(() -> StreamCursor.parse(bad)).as(bad).isInstanceOfSatisfying(ApiException.class, e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(e.code()).isEqualTo("invalid_parameter");
                assertThat(e.getMessage()).contains("not an event id this server sent");
            });
        }
    }
}

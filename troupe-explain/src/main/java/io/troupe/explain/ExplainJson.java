package io.troupe.explain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * Writes explanations, states and diffs as JSON, in the shape of their records: every component by name, numbers as
 * JSON numbers, enums by name, durations and instants in ISO-8601 ({@code PT30M}). This is the {@code --json} form of {@code troupe explain} and what the console reads.
 * Thread-safe.
 */
public final class ExplainJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();
    private static final ObjectWriter WRITER = MAPPER.writer();
    private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

    private ExplainJson() {}

    /** {@code value} (a {@link RunExplanation}, {@link Explanation}, {@link RunState} or {@link RunDiff}) on one line. */
    public static String write(Object value) {
        return write(value, WRITER);
    }

    /** {@code value} indented, for people. */
    public static String pretty(Object value) {
        return write(value, PRETTY);
    }

    private static String write(Object value, ObjectWriter writer) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }
}

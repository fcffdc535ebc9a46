package io.troupe.runtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.troupe.api.ConfigurationException;
import io.troupe.api.run.RunEvent;
import io.troupe.runtime.internal.node.TroupeJacksonModule;

/**
 * Turns journal events (and the other {@link RunEvent}s: tokens, child runs' events) into JSON and back, in the
 * same shape the journal stores them: every record as an object of its components, and every value of a sealed
 * type with an {@code @type} property naming its record ({@code "JournalEvent$MessageSent"}). Use it to export
 * runs, to print them for machines ({@code troupe run --json}), and to read them back. Thread-safe.
 *
 * <pre>{@code
 * String line = JournalCodec.json().write(event);
 * RunEvent back = JournalCodec.json().read(line);
 * }</pre>
 */
public final class JournalCodec {
    private static final JournalCodec JSON = new JournalCodec(JsonMapper.builder()
            .addModule(new TroupeJacksonModule())
            .addModule(new JavaTimeModule())
            .addModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build());

    private final ObjectWriter writer;
    private final ObjectReader reader;

    private JournalCodec(ObjectMapper mapper) {
        this.writer = mapper.writerFor(RunEvent.class);
        this.reader = mapper.readerFor(RunEvent.class);
    }

    /** The JSON codec: one event per JSON object, dates as ISO-8601 text. */
    public static JournalCodec json() {
        return JSON;
    }

    /** {@code event} as a one-line JSON object. */
    public String write(RunEvent event) {
        try {
            return writer.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event + " cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The event that {@code json} holds.
     *
     * @throws ConfigurationException if {@code json} is not a journal event written by this codec
     */
    public RunEvent read(String json) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("Not a Troupe journal event (" + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): expected a JSON"
                    + " object written by JournalCodec, with an \"@type\" such as \"JournalEvent$MessageSent\"");
        }
    }
}

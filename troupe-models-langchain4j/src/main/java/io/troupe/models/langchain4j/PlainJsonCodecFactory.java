package io.troupe.models.langchain4j;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.langchain4j.internal.Json;
import dev.langchain4j.spi.json.JsonCodecFactory;
import java.lang.reflect.Type;

/**
 * LangChain4j's JSON codec, without the modules that happen to be on the classpath.
 *
 * <p>LangChain4j's default codec calls {@code findAndRegisterModules()}, which picks up every Jackson module that
 * the classpath offers. Troupe's runtime brings Pekko, and Pekko brings the Scala module, which turns JSON arrays
 * into Scala collections; LangChain4j then renders tool schemas such as {@code "oneOf":[…]} as garbage. This codec
 * is configured like LangChain4j's own (field visibility, indented output, case-insensitive enums) and registers
 * no module implicitly. It is installed through {@code META-INF/services}.
 */
public final class PlainJsonCodecFactory implements JsonCodecFactory {

    @Override
    public Json.JsonCodec create() {
        return new Codec();
    }

    private static final class Codec implements Json.JsonCodec {
        private final ObjectMapper json = JsonMapper.builder(JsonFactory.builder()
                        .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()) // see ProviderJson
                        .build())
                .visibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
                .build();

        @Override
        public String toJson(Object value) {
            try {
                return json.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "cannot write " + value.getClass().getName() + " as JSON", e);
            }
        }

        @Override
        public <T> T fromJson(String text, Class<T> type) {
            try {
                return json.readValue(text, type);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot read " + type.getName() + " from JSON: " + text, e);
            }
        }

        @Override
        public <T> T fromJson(String text, Type type) {
            try {
                return json.readValue(text, json.constructType(type));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot read " + type.getTypeName() + " from JSON: " + text, e);
            }
        }
    }
}

package io.troupe.models.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

class ProviderJsonTest {
    @Test
    void tune_givesAProvidersMappersTheSharedPool_andCompactOutput_once() throws Exception {
        assertThat(ProviderJson.tune("OpenAiCompatible")).isEqualTo(1);
        assertThat(ProviderJson.tune("OpenAiCompatible")).isEqualTo(1);
        assertThat(ProviderJson.tune("Ollama")).as("Ollama's two").isEqualTo(2);
        assertThat(ProviderJson.tune("Anthropic")).isEqualTo(1);
        assertThat(ProviderJson.tune("Unknown")).isZero();

        ObjectMapper openAi = mapper("dev.langchain4j.model.openai.internal.Json", "OBJECT_MAPPER");
        assertThat(openAi.getFactory()._getRecyclerPool()).isSameAs(JsonRecyclerPools.sharedConcurrentDequePool());
        assertThat(openAi.isEnabled(SerializationFeature.INDENT_OUTPUT)).isFalse();
        assertThat(openAi.writeValueAsString(java.util.Map.of("a", java.util.List.of(1, 2))))
                .isEqualTo("{\"a\":[1,2]}");
    }

    private static ObjectMapper mapper(String className, String fieldName) throws Exception {
        Field field = Class.forName(className).getDeclaredField(fieldName);
        field.setAccessible(true);
        return (ObjectMapper) field.get(null);
    }
}

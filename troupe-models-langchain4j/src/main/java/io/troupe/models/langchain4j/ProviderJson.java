package io.troupe.models.langchain4j;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Field;
import java.util.List;

/**
 * Tunes the JSON mappers that LangChain4j's provider clients keep to themselves (one static {@link ObjectMapper} per
 * provider), once per JVM, before Troupe's first call.
 *
 * <ul>
 *   <li><b>A shared buffer pool.</b> Jackson recycles its read and write buffers per thread by default. Troupe calls
 *       models on virtual threads, a new one for each call, so every call allocated fresh buffers: about 10 KB of
 *       garbage per call, an eighth of a three-agent run's allocation. The mappers' factories get Jackson's shared
 *       concurrent pool instead.
 *   <li><b>Compact request bodies.</b> The OpenAI and Anthropic clients indent the JSON they send; a provider reads it
 *       the same without the indentation, which costs CPU on both ends and bytes on the wire.
 * </ul>
 *
 * <p>Both leave what the mappers read and write unchanged in meaning. The fields are package-private in LangChain4j,
 * so they are reached by reflection; should a LangChain4j release rename one, that mapper is left as it is.
 */
final class ProviderJson {
    /** The provider clients' mappers: class, static field. */
    private static final List<String[]> MAPPERS = List.of(
            new String[] {"dev.langchain4j.model.openai.internal.Json", "OBJECT_MAPPER"},
            new String[] {"dev.langchain4j.model.anthropic.internal.client.Json", "OBJECT_MAPPER"},
            new String[] {"dev.langchain4j.model.ollama.OllamaJsonUtils", "OBJECT_MAPPER"},
            new String[] {"dev.langchain4j.model.ollama.OllamaJsonUtils", "OBJECT_MAPPER_WITHOUT_IDENT"});

    private ProviderJson() {}

    /**
     * Tunes every provider mapper on the classpath: the first call does the work, later ones nothing.
     *
     * @return how many mappers were tuned
     */
    static int tune() {
        return Once.TUNED;
    }

    private static final class Once {
        static final int TUNED = tuneAll();

        private static int tuneAll() {
            int tuned = 0;
            for (String[] mapper : MAPPERS) {
                ObjectMapper json = find(mapper[0], mapper[1]);
                if (json != null) {
                    json.getFactory().setRecyclerPool(JsonRecyclerPools.sharedConcurrentDequePool());
                    json.disable(SerializationFeature.INDENT_OUTPUT);
                    tuned++;
                }
            }
            return tuned;
        }

        private static ObjectMapper find(String className, String fieldName) {
            try {
                Field field = Class.forName(className, true, ProviderJson.class.getClassLoader())
                        .getDeclaredField(fieldName);
                field.setAccessible(true);
                return field.get(null) instanceof ObjectMapper json ? json : null;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null; // that provider is not on the classpath, or its client changed: leave it as it is
            }
        }
    }
}

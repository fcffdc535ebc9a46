package io.troupe.models.langchain4j;

import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tunes the JSON mappers that LangChain4j's provider clients keep to themselves (one static {@link ObjectMapper} per
 * provider), once per JVM and provider, when Troupe builds its first model of that provider: only that provider's
 * mappers are made (each is a Jackson mapper with modules, a noticeable share of a process's start-up).
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
    /** The provider clients' mappers, by provider ({@link Endpoint#provider()}): class, static field. */
    private static final Map<String, List<String[]>> MAPPERS = Map.of(
            "OpenAiCompatible",
            List.<String[]>of(new String[] {"dev.langchain4j.model.openai.internal.Json", "OBJECT_MAPPER"}),
            "Anthropic",
            List.<String[]>of(new String[] {"dev.langchain4j.model.anthropic.internal.client.Json", "OBJECT_MAPPER"}),
            "Ollama",
            List.of(
                    new String[] {"dev.langchain4j.model.ollama.OllamaJsonUtils", "OBJECT_MAPPER"},
                    new String[] {"dev.langchain4j.model.ollama.OllamaJsonUtils", "OBJECT_MAPPER_WITHOUT_IDENT"}));

    /** How many mappers of each provider were tuned. */
    private static final Map<String, Integer> TUNED = new ConcurrentHashMap<>();

    private ProviderJson() {}

    /**
     * Tunes the mappers of {@code provider}: the first call does the work, later ones nothing.
     *
     * @return how many of its mappers were tuned
     */
    static int tune(String provider) {
        return TUNED.computeIfAbsent(provider, name -> tuneAll(MAPPERS.getOrDefault(name, List.of())));
    }

    private static int tuneAll(List<String[]> mappers) {
        int tuned = 0;
        for (String[] mapper : mappers) {
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

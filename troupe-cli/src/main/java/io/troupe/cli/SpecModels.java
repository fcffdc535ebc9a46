package io.troupe.cli;

import io.troupe.api.ConfigurationException;
import io.troupe.api.model.LanguageModel;
import io.troupe.config.ModelConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.models.langchain4j.Anthropic;
import io.troupe.models.langchain4j.ApiKey;
import io.troupe.models.langchain4j.Ollama;
import io.troupe.models.langchain4j.OpenAiCompatible;
import io.troupe.models.langchain4j.ProviderBuilder;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The language models a spec's agents use, built from its {@link ModelConfig}s. Models no agent uses are not built,
 * so their API keys need not be set. Closing releases the llama.cpp models.
 */
final class SpecModels implements AutoCloseable {
    private final LlamaCppModels llamaCpp = new LlamaCppModels();
    private final Map<String, LanguageModel> models = new LinkedHashMap<>();

    private SpecModels() {}

    /**
     * Builds every model an agent of {@code spec} refers to, reporting progress on {@code progress}.
     *
     * @throws io.troupe.api.TroupeException if a model cannot be found, downloaded or configured
     */
    static SpecModels build(ScenarioSpec spec, PrintStream progress) {
        SpecModels built = new SpecModels();
        try {
            for (String name : spec.usedModels()) { // including those of the agents of members that are teams
                ModelConfig config = spec.models().get(name);
                if (config == null) {
                    throw new ConfigurationException(
                            "An agent uses model '" + name + "', which the spec does not define under 'models'");
                }
                built.models.put(name, built.create(name, config, progress));
            }
            return built;
        } catch (RuntimeException e) {
            built.close();
            throw e;
        }
    }

    /** The models by the names agents use. */
    Map<String, LanguageModel> models() {
        return models;
    }

    private LanguageModel create(String name, ModelConfig config, PrintStream progress) {
        return switch (config.provider()) {
            case LLAMACPP -> {
                progress.println("Loading model '" + name + "' (" + config.model() + ")…");
                Path file = ModelManager.standard().resolve(config.model());
                yield llamaCpp.model(file, LlamaCppSettings.DEFAULTS);
            }
            case OPENAI -> configure(OpenAiCompatible.builder(), config).build();
            case ANTHROPIC -> configure(Anthropic.builder(), config).build();
            case OLLAMA -> configure(Ollama.builder(), config).build();
        };
    }

    private static <B extends ProviderBuilder<B>> B configure(B builder, ModelConfig config) {
        builder.model(config.model());
        if (config.baseUrl() != null) {
            builder.baseUrl(config.baseUrl());
        }
        if (config.apiKeyVariable() != null) {
            builder.apiKey(ApiKey.fromEnv(config.apiKeyVariable()));
        }
        return builder;
    }

    @Override
    public void close() {
        llamaCpp.close();
    }
}

package io.troupe.tune.lora;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufException;
import io.troupe.models.llamacpp.gguf.GgufTensor;
import io.troupe.tune.model.LoraTarget;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A training run's state after {@code step} steps: the adapter and the optimiser's moments, saved as a GGUF file so
 * that a stopped or crashed run resumes exactly where it was. The file is written beside its target and moved into
 * place, so a crash while saving leaves the previous checkpoint intact.
 *
 * @param step the steps done
 * @param lora the adapter after those steps
 * @param adam the optimiser after those steps
 */
record Checkpoint(int step, LoraWeights lora, Adam adam) {
    static final String TYPE = "troupe-lora-checkpoint";

    /** Writes the checkpoint, recording what it was trained with so that a resume can check it. */
    void write(Path file, TrainingConfig config, String baseIdentity) {
        ModelShape shape = lora.shape();
        Gguf.Builder gguf = Gguf.builder()
                .put("general.type", TYPE)
                .put("general.architecture", shape.architecture().id())
                .putUint32("troupe.checkpoint.step", step)
                .put("troupe.checkpoint.config", config.identity())
                .put("troupe.checkpoint.base", baseIdentity)
                .putUint32("troupe.checkpoint.rank", lora.rank())
                .putFloat32("troupe.checkpoint.alpha", lora.alpha())
                .putUint32("troupe.checkpoint.adam_step", adam.step());
        List<float[]> values = lora.arrays();
        List<float[]> first = adam.first().arrays();
        List<float[]> second = adam.second().arrays();
        List<String> names = names(lora);
        for (int i = 0; i < names.size(); i++) {
            gguf.tensor(names.get(i), values.get(i), values.get(i).length);
            gguf.tensor("adam_m." + names.get(i), first.get(i), first.get(i).length);
            gguf.tensor("adam_v." + names.get(i), second.get(i), second.get(i).length);
        }
        gguf.build().write(file);
    }

    /**
     * Reads a checkpoint for a run with {@code config} on the model {@code shape}.
     *
     * @throws ConfigurationException if the file is not a checkpoint, or was written for another model or other
     *     settings (resuming it would silently train something else)
     */
    static Checkpoint read(Path file, ModelShape shape, TrainingConfig config, String baseIdentity) {
        Gguf gguf;
        try {
            gguf = Gguf.read(file);
        } catch (GgufException e) {
            throw new ConfigurationException(
                    "Cannot resume from checkpoint " + file + ": " + e.getMessage() + ". Delete it to start over.");
        }
        String where = "Cannot resume from checkpoint " + file;
        if (!gguf.string("general.type").filter(TYPE::equals).isPresent()) {
            throw new ConfigurationException(where + ": it is not a Troupe training checkpoint. Name another file with"
                    + " --checkpoint, or delete this one (troupe tune local --fresh does).");
        }
        String base = gguf.string("troupe.checkpoint.base").orElse("?");
        if (!base.equals(baseIdentity)) {
            throw new ConfigurationException(
                    where + ": it was trained on " + base + ", not on " + baseIdentity
                            + ". Use the same base model, or delete the checkpoint to start over (troupe tune local --fresh does).");
        }
        String identity = gguf.string("troupe.checkpoint.config").orElse("?");
        if (!identity.equals(config.identity())) {
            throw new ConfigurationException(
                    where + ": it was trained with " + identity + ", but this run asks for " + config.identity()
                            + ". Use the same settings, or delete the checkpoint to start over (troupe tune local --fresh does).");
        }
        int step = gguf.integer("troupe.checkpoint.step").orElseThrow().intValue();
        int adamStep = gguf.integer("troupe.checkpoint.adam_step").orElseThrow().intValue();
        LoraWeights lora = LoraWeights.zeros(shape, config.rank(), config.alpha(), config.targets());
        Adam adam = new Adam(lora.zerosLike(), lora.zerosLike(), adamStep);
        List<String> names = names(lora);
        List<float[]> values = lora.arrays();
        List<float[]> first = adam.first().arrays();
        List<float[]> second = adam.second().arrays();
        for (int i = 0; i < names.size(); i++) {
            load(gguf, names.get(i), values.get(i), where);
            load(gguf, "adam_m." + names.get(i), first.get(i), where);
            load(gguf, "adam_v." + names.get(i), second.get(i), where);
        }
        return new Checkpoint(step, lora, adam);
    }

    static boolean exists(Path file) {
        return Files.isRegularFile(file);
    }

    private static void load(Gguf gguf, String name, float[] into, String where) {
        GgufTensor tensor = gguf.tensor(name)
                .orElseThrow(() -> new ConfigurationException(where + ": tensor " + name + " is missing"));
        if (tensor.elements() != into.length) {
            throw new ConfigurationException(
                    where + ": tensor " + name + " has " + tensor.elements() + " values, expected " + into.length);
        }
        System.arraycopy(gguf.floats(name), 0, into, 0, into.length);
    }

    /** The tensor names of the adapter's matrices, in the order of {@link LoraWeights#arrays()}. */
    private static List<String> names(LoraWeights lora) {
        List<String> names = new java.util.ArrayList<>();
        for (int l = 0; l < lora.shape().layers(); l++) {
            for (LoraTarget target : lora.targets()) {
                names.add(target.tensorName(l) + ".lora_a");
                names.add(target.tensorName(l) + ".lora_b");
            }
        }
        return names;
    }
}

package io.troupe.tune.lora;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufTensor;
import io.troupe.models.llamacpp.gguf.LoraAdapterCheck;
import io.troupe.tune.model.LoraTarget;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A LoRA adapter as a GGUF file that llama.cpp b4916 loads with {@code addLoraAdapter}: {@code general.type =
 * adapter}, {@code adapter.type = lora}, the base's {@code general.architecture}, {@code adapter.lora.alpha} as a
 * FLOAT32, and F32 tensors {@code <weight>.lora_a} (ggml shape {@code [n_in, r]}) and {@code <weight>.lora_b}
 * ({@code [r, n_out]}), aligned to {@code general.alignment}.
 */
public final class AdapterFile {
    private AdapterFile() {}

    /**
     * The adapter as GGUF, checked against {@code base} with {@link LoraAdapterCheck} so that a file this writes is one
     * llama.cpp accepts.
     */
    public static Gguf toGguf(LoraWeights lora, Gguf base, String name) {
        ModelShape shape = lora.shape();
        Gguf.Builder gguf = Gguf.builder()
                .put("general.architecture", shape.architecture().id())
                .put("general.type", "adapter")
                .put("general.name", name)
                .put("adapter.type", "lora")
                .putFloat32("adapter.lora.alpha", lora.alpha());
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : lora.targets()) {
                String weight = target.tensorName(l);
                gguf.tensor(weight + LoraAdapterCheck.A, lora.a(l, target), target.inputs(shape), lora.rank());
                gguf.tensor(weight + LoraAdapterCheck.B, lora.b(l, target), lora.rank(), target.outputs(shape));
            }
        }
        Gguf adapter = gguf.build();
        List<String> problems = LoraAdapterCheck.problems(adapter, base);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Troupe built an adapter llama.cpp would refuse (a bug): " + problems);
        }
        return adapter;
    }

    /** Writes the adapter to {@code file}. */
    public static void write(LoraWeights lora, Gguf base, String name, Path file) {
        toGguf(lora, base, name).write(file);
    }

    /**
     * Reads an adapter for the model {@code base} (for example to continue training it, or to run it in Java).
     *
     * @throws ConfigurationException if llama.cpp would refuse the pair, or the adapter's ranks differ between
     *     weights, or it adapts a weight Troupe cannot train
     */
    public static LoraWeights read(Gguf adapter, Gguf base) {
        List<String> problems = new ArrayList<>(LoraAdapterCheck.problems(adapter, base));
        ConfigurationException.throwIfAny("Cannot use adapter " + adapter.describe(), problems);
        ModelShape shape = ModelShape.of(base);
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        int rank = -1;
        for (GgufTensor tensor : adapter.tensors()) {
            if (!tensor.name().endsWith(LoraAdapterCheck.A)) {
                continue;
            }
            Optional<LoraTarget> target = targetOf(tensor.name());
            if (target.isEmpty()) {
                problems.add("tensor '" + tensor.name() + "' adapts a weight Troupe does not train; it trains "
                        + LoraTarget.ids());
                continue;
            }
            targets.add(target.get());
            int r = (int) tensor.extent(1);
            if (rank >= 0 && r != rank) {
                problems.add("tensor '" + tensor.name() + "' has rank " + r + " but others have " + rank);
            }
            rank = r;
        }
        ConfigurationException.throwIfAny("Cannot use adapter " + adapter.describe(), problems);
        float alpha =
                adapter.number("adapter.lora.alpha").map(Double::floatValue).orElse((float) rank);
        LoraWeights lora = LoraWeights.zeros(shape, rank, alpha, targets);
        for (int l = 0; l < shape.layers(); l++) {
            for (LoraTarget target : targets) {
                String weight = target.tensorName(l);
                if (adapter.tensor(weight + LoraAdapterCheck.A).isEmpty()) {
                    problems.add("the adapter adapts " + target.id() + " in some blocks but not in block " + l);
                    continue;
                }
                copy(adapter.floats(weight + LoraAdapterCheck.A), lora.a(l, target));
                copy(adapter.floats(weight + LoraAdapterCheck.B), lora.b(l, target));
            }
        }
        ConfigurationException.throwIfAny("Cannot use adapter " + adapter.describe(), problems);
        return lora;
    }

    private static void copy(float[] from, float[] to) {
        System.arraycopy(from, 0, to, 0, to.length);
    }

    private static Optional<LoraTarget> targetOf(String name) {
        String[] parts = name.split("\\.");
        return parts.length == 5 && parts[0].equals("blk") ? LoraTarget.byId(parts[2]) : Optional.empty();
    }
}

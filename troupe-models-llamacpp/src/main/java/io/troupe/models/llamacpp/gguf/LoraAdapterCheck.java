package io.troupe.models.llamacpp.gguf;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Checks a GGUF LoRA adapter against its base model the way llama.cpp b4916 will, but in Java and without crashing.
 *
 * <p>llama.cpp aborts the whole process on some malformed adapters (a metadata value of the wrong type, such as a
 * FLOAT64 {@code adapter.lora.alpha}, fails an assertion), so an adapter must pass this check before llama.cpp sees
 * it. An adapter that llama.cpp accepts has:
 *
 * <ul>
 *   <li>{@code general.type} = {@code adapter}, {@code adapter.type} = {@code lora} and {@code general.architecture}
 *       equal to the base's, all STRINGs;
 *   <li>{@code adapter.lora.alpha}, if present, a finite FLOAT32;
 *   <li>for each adapted base tensor {@code W} of ggml shape {@code [n_in, n_out]}, a pair {@code W.lora_a} of shape
 *       {@code [n_in, r]} and {@code W.lora_b} of shape {@code [r, n_out]}, in F32, F16 or BF16;
 *   <li>tensor data laid out in order, each tensor aligned to {@code general.alignment}.
 * </ul>
 */
public final class LoraAdapterCheck {
    /** The suffix of the first half of a LoRA pair. */
    public static final String A = ".lora_a";
    /** The suffix of the second half of a LoRA pair. */
    public static final String B = ".lora_b";

    private LoraAdapterCheck() {}

    /**
     * Every problem that would make llama.cpp refuse {@code adapter} on {@code base}, or crash on it; empty if none.
     * Each problem names the key or tensor, what it holds and what llama.cpp needs.
     */
    public static List<String> problems(Gguf adapter, Gguf base) {
        List<String> problems = new ArrayList<>();
        expectString(adapter, "general.type", "adapter", problems);
        expectString(adapter, "adapter.type", "lora", problems);
        Optional<String> baseArchitecture = base.string("general.architecture");
        String architecture = stringOrProblem(adapter, "general.architecture", problems);
        if (architecture != null && baseArchitecture.isPresent() && !architecture.equals(baseArchitecture.get())) {
            problems.add("general.architecture is '" + architecture + "' but the base model is '"
                    + baseArchitecture.get() + "': the adapter was trained for another kind of model");
        }
        if (base.string("general.type").filter("adapter"::equals).isPresent()) {
            problems.add("the base " + base.describe() + " is itself an adapter; give the model it adapts");
        }
        GgufValue alpha = adapter.metadata().get("adapter.lora.alpha");
        if (alpha != null) {
            if (!(alpha instanceof GgufValue.F32 f)) {
                problems.add("adapter.lora.alpha is a " + alpha.type() + "; llama.cpp needs a FLOAT32 (any other type"
                        + " aborts the process). Write it as FLOAT32");
            } else if (!Float.isFinite(f.value())) {
                problems.add("adapter.lora.alpha is " + f.value() + "; it must be a finite number");
            }
        }
        checkPairs(adapter, base, problems);
        checkLayout(adapter, problems);
        return List.copyOf(problems);
    }

    private static void checkPairs(Gguf adapter, Gguf base, List<String> problems) {
        Map<String, @Nullable GgufTensor[]> pairs = new LinkedHashMap<>();
        for (GgufTensor tensor : adapter.tensors()) {
            String name = tensor.name();
            if (name.endsWith(A)) {
                pairs.computeIfAbsent(name.substring(0, name.length() - A.length()), k -> new @Nullable GgufTensor[2])[
                        0] = tensor;
            } else if (name.endsWith(B)) {
                pairs.computeIfAbsent(name.substring(0, name.length() - B.length()), k -> new @Nullable GgufTensor[2])[
                        1] = tensor;
            } else {
                problems.add("tensor '" + name + "' is neither a '" + A + "' nor a '" + B + "' half of a LoRA pair");
            }
        }
        if (pairs.isEmpty()) {
            problems.add("the adapter has no LoRA tensors (pairs named '<base tensor>" + A + "' and '<base tensor>" + B
                    + "')");
        }
        for (Map.Entry<String, @Nullable GgufTensor[]> pair : pairs.entrySet()) {
            String target = pair.getKey();
            GgufTensor a = pair.getValue()[0];
            GgufTensor b = pair.getValue()[1];
            if (a == null || b == null) {
                problems.add("tensor '" + target + (a == null ? B : A) + "' has no matching '" + target
                        + (a == null ? A : B) + "': a LoRA pair needs both halves");
                continue;
            }
            for (GgufTensor half : new GgufTensor[] {a, b}) {
                if (half.type() != GgmlType.F32 && half.type() != GgmlType.F16 && half.type() != GgmlType.BF16) {
                    problems.add("tensor '" + half.name() + "' is " + half.type() + "; write LoRA tensors as F32, F16"
                            + " or BF16");
                }
            }
            Optional<GgufTensor> weight = base.tensor(target);
            if (weight.isEmpty()) {
                problems.add("tensor '" + target + "' adapted by '" + a.name() + "' does not exist in the base model");
                continue;
            }
            GgufTensor w = weight.get();
            if (a.shape().size() != 2 || b.shape().size() != 2 || w.shape().size() != 2) {
                problems.add("LoRA pair '" + target + "' must be two 2-D tensors for a 2-D weight; got " + a.name()
                        + " " + a.describeShape() + ", " + b.name() + " " + b.describeShape() + " for "
                        + w.describeShape());
                continue;
            }
            long nIn = w.extent(0);
            long nOut = w.extent(1);
            long rank = a.extent(1);
            if (a.extent(0) != nIn || b.extent(1) != nOut || b.extent(0) != rank || rank < 1) {
                problems.add("LoRA pair '" + target + "' has the wrong shape: " + a.name() + " is "
                        + a.describeShape() + " and " + b.name() + " is " + b.describeShape() + ", but for a base"
                        + " weight " + w.describeShape() + " they must be [" + nIn + ", r] and [r, " + nOut + "]");
            }
        }
    }

    private static void checkLayout(Gguf adapter, List<String> problems) {
        long expected = 0;
        for (GgufTensor tensor : adapter.tensors()) {
            if (tensor.offset() != expected) {
                problems.add("tensor '" + tensor.name() + "' starts at data offset " + tensor.offset() + " but"
                        + " llama.cpp expects " + expected + " (tensors in order, each aligned to "
                        + adapter.alignment() + " bytes)");
                return;
            }
            expected = Gguf.align(expected + tensor.bytes(), adapter.alignment());
        }
    }

    private static void expectString(Gguf gguf, String key, String expected, List<String> problems) {
        String value = stringOrProblem(gguf, key, problems);
        if (value != null && !value.equals(expected)) {
            problems.add(key + " is '" + value + "'; a LoRA adapter has '" + expected + "'");
        }
    }

    private static @Nullable String stringOrProblem(Gguf gguf, String key, List<String> problems) {
        GgufValue value = gguf.metadata().get(key);
        if (value == null) {
            problems.add(key + " is missing");
            return null;
        }
        if (!(value instanceof GgufValue.Str s)) {
            problems.add(key + " is a " + value.type() + "; it must be a STRING (any other type aborts llama.cpp)");
            return null;
        }
        return s.value();
    }
}

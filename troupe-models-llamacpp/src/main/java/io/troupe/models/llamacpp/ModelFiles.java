package io.troupe.models.llamacpp;

import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The files of a local model: a GGUF base model and, optionally, a GGUF LoRA adapter applied on top of it.
 *
 * <p>The adapter is applied at scale 1, so the model computes {@code y = Wx + (alpha/r)·B(Ax)} for every adapted
 * weight. {@link LlamaCppModels} checks the adapter against the base in Java before llama.cpp sees it, because a
 * malformed adapter can crash the process.
 *
 * @param base the base model's GGUF file
 * @param adapter the LoRA adapter's GGUF file, or null for the base model alone
 * @param sha256 the base file's expected SHA-256 in hex, checked before loading, or null to skip the check
 */
public record ModelFiles(
        Path base, @Nullable Path adapter, @Nullable String sha256) {
    public ModelFiles {
        Objects.requireNonNull(base, "ModelFiles base");
        if (sha256 != null) {
            sha256 = Sha256.normalize(sha256, "ModelFiles sha256");
        }
    }

    /** The base model alone, without a sha256 check. */
    public static ModelFiles of(Path base) {
        return new ModelFiles(base, null, null);
    }

    /** These files with {@code adapter} applied on the base. */
    public ModelFiles withAdapter(Path adapter) {
        return new ModelFiles(base, Objects.requireNonNull(adapter, "adapter"), sha256);
    }

    /** "FILE" or "FILE with adapter ADAPTER", for messages. */
    public String describe() {
        return adapter == null ? base.toString() : base + " with adapter " + adapter;
    }
}

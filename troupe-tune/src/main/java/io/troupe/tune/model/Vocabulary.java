package io.troupe.tune.model;

import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufValue;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tokenizer metadata of a GGUF model says about special tokens, as llama.cpp b4916 reads it: whether a
 * prompt starts with BOS, and which tokens end generation.
 *
 * <p>Troupe tokenises text with llama.cpp ({@code LlamaModel.encode}, which adds no BOS) and prepends BOS itself when
 * {@link #addBos()}, so that training sequences are exactly what llama.cpp's completion sees.
 *
 * @param bos the BOS token id, or -1
 * @param addBos whether llama.cpp prepends BOS to a prompt: {@code tokenizer.ggml.add_bos_token}, else true for
 *     SentencePiece ({@code llama}) vocabularies and false for byte-level BPE ({@code gpt2}) ones
 * @param eos the end-of-sequence token id, appended after each trained answer so the model learns to stop
 * @param endOfGeneration every token that stops generation
 */
public record Vocabulary(int bos, boolean addBos, int eos, Set<Integer> endOfGeneration) {
    private static final Set<String> EOG_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<EOT>", "</s>", "<|eom_id|>");

    public Vocabulary {
        endOfGeneration = Set.copyOf(endOfGeneration);
    }

    /** The vocabulary of {@code gguf}. */
    public static Vocabulary of(Gguf gguf) {
        String model = gguf.string("tokenizer.ggml.model").orElse("llama");
        int bos =
                gguf.integer("tokenizer.ggml.bos_token_id").map(Long::intValue).orElse(model.equals("llama") ? 1 : -1);
        int eos =
                gguf.integer("tokenizer.ggml.eos_token_id").map(Long::intValue).orElse(model.equals("llama") ? 2 : -1);
        boolean addBos = gguf.value("tokenizer.ggml.add_bos_token").orElse(null) instanceof GgufValue.Bool b
                ? b.value()
                : model.equals("llama");
        Set<Integer> eog = new TreeSet<>();
        for (String key : new String[] {
            "tokenizer.ggml.eos_token_id", "tokenizer.ggml.eot_token_id", "tokenizer.ggml.eom_token_id"
        }) {
            gguf.integer(key).filter(id -> id >= 0 && id < Integer.MAX_VALUE).ifPresent(id -> eog.add(id.intValue()));
        }
        if (gguf.value("tokenizer.ggml.tokens").orElse(null) instanceof GgufValue.Arr tokens) {
            for (int i = 0; i < tokens.items().size(); i++) {
                if (tokens.items().get(i) instanceof GgufValue.Str s && EOG_TEXTS.contains(s.value())) {
                    eog.add(i);
                }
            }
        }
        return new Vocabulary(bos, addBos && bos >= 0, eos, eog);
    }

    /** {@code tokens} with BOS in front when the model's prompts start with it. */
    public int[] withBos(int[] tokens) {
        if (!addBos) {
            return tokens.clone();
        }
        int[] sequence = new int[tokens.length + 1];
        sequence[0] = bos;
        System.arraycopy(tokens, 0, sequence, 1, tokens.length);
        return sequence;
    }
}

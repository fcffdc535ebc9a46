package io.troupe.tune.model;

import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.models.llamacpp.gguf.GgufType;
import io.troupe.models.llamacpp.gguf.GgufValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tokenizer metadata of a {@link TinyModel}: either copied from an existing GGUF file (such as stories260K's
 * SentencePiece vocabulary) or a small byte-level BPE vocabulary in the style of GPT-2 and Qwen, generated here with
 * Qwen's ChatML special tokens and chat template.
 *
 * @param metadata the {@code tokenizer.*} entries, in order
 * @param size the number of tokens
 */
public record TinyTokenizer(Map<String, GgufValue> metadata, int size) {
    /** ChatML, which llama.cpp recognises by its {@code <|im_start|>} marker. */
    public static final String CHATML_TEMPLATE =
            "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n'"
                    + " + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{"
                    + " '<|im_start|>assistant\\n' }}{% endif %}";

    private static final String CORPUS = "Once upon a time, there was a little girl named Lily. She loved to play"
            + " outside in the park with her friends. The sun was shining and the birds were singing. You are a"
            + " helpful assistant. The user asks a question and the assistant answers it. Book a flight to Oslo on"
            + " Friday. The weather is sunny, the answer is yes, and the total is 42. Write a short story about a"
            + " dragon who learns to fly. The tool returned a result; call the tool with the arguments in JSON.";

    public TinyTokenizer {
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** The {@code tokenizer.*} entries of {@code source}. */
    public static TinyTokenizer copyOf(Gguf source) {
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        source.metadata().forEach((key, value) -> {
            if (key.startsWith("tokenizer.")) {
                metadata.put(key, value);
            }
        });
        if (!(metadata.get("tokenizer.ggml.tokens") instanceof GgufValue.Arr tokens)) {
            throw new IllegalArgumentException(source.describe() + " has no tokenizer.ggml.tokens");
        }
        return new TinyTokenizer(metadata, tokens.items().size());
    }

    /**
     * A byte-level BPE vocabulary ({@code tokenizer.ggml.model = gpt2}, pre-tokenizer {@code qwen2}): the 256 byte
     * tokens, {@code merges} merges learned from a built-in English text, and {@code <|endoftext|>}, {@code
     * <|im_start|>} and {@code <|im_end|>} as control tokens. Like Qwen2.5, it adds no BOS token and ends turns with
     * {@code <|im_end|>}.
     */
    public static TinyTokenizer byteLevelBpe(int merges) {
        String[] byteChars = byteChars();
        List<String> tokens = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            tokens.add(byteChars[b]);
        }
        List<List<String>> words = new ArrayList<>();
        for (String word : CORPUS.split("(?= )")) {
            List<String> symbols = new ArrayList<>();
            for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
                symbols.add(byteChars[b & 0xff]);
            }
            words.add(symbols);
        }
        List<String> mergeList = new ArrayList<>();
        for (int m = 0; m < merges; m++) {
            Map<String, Integer> counts = new HashMap<>();
            String best = null;
            for (List<String> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    String pair = word.get(i) + " " + word.get(i + 1);
                    int count = counts.merge(pair, 1, Integer::sum);
                    if (best == null
                            || count > counts.get(best)
                            || (count == counts.get(best) && pair.compareTo(best) < 0)) {
                        best = pair;
                    }
                }
            }
            if (best == null) {
                break;
            }
            mergeList.add(best);
            String[] parts = best.split(" ");
            String merged = parts[0] + parts[1];
            tokens.add(merged);
            for (List<String> word : words) {
                for (int i = 0; i + 1 < word.size(); i++) {
                    if (word.get(i).equals(parts[0]) && word.get(i + 1).equals(parts[1])) {
                        word.set(i, merged);
                        word.remove(i + 1);
                    }
                }
            }
        }
        int endOfText = tokens.size();
        tokens.add("<|endoftext|>");
        tokens.add("<|im_start|>");
        int imEnd = tokens.size();
        tokens.add("<|im_end|>");
        int[] types = new int[tokens.size()];
        for (int i = 0; i < types.length; i++) {
            types[i] = i >= endOfText ? 3 : 1;
        }
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        metadata.put("tokenizer.ggml.model", new GgufValue.Str("gpt2"));
        metadata.put("tokenizer.ggml.pre", new GgufValue.Str("qwen2"));
        metadata.put("tokenizer.ggml.tokens", strings(tokens));
        metadata.put("tokenizer.ggml.token_type", ints(types));
        metadata.put("tokenizer.ggml.merges", strings(mergeList));
        metadata.put("tokenizer.ggml.bos_token_id", new GgufValue.Int(GgufType.UINT32, endOfText));
        metadata.put("tokenizer.ggml.eos_token_id", new GgufValue.Int(GgufType.UINT32, imEnd));
        metadata.put("tokenizer.ggml.padding_token_id", new GgufValue.Int(GgufType.UINT32, endOfText));
        metadata.put("tokenizer.ggml.add_bos_token", new GgufValue.Bool(false));
        metadata.put("tokenizer.chat_template", new GgufValue.Str(CHATML_TEMPLATE));
        return new TinyTokenizer(metadata, tokens.size());
    }

    /** GPT-2's map from bytes to printable characters, so that every byte has a visible token. */
    static String[] byteChars() {
        List<Integer> printable = new ArrayList<>();
        for (int c = '!'; c <= '~'; c++) {
            printable.add(c);
        }
        for (int c = 0xA1; c <= 0xAC; c++) {
            printable.add(c);
        }
        for (int c = 0xAE; c <= 0xFF; c++) {
            printable.add(c);
        }
        String[] chars = new String[256];
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            int code = printable.contains(b) ? b : 256 + extra++;
            chars[b] = new String(Character.toChars(code));
        }
        return chars;
    }

    private static GgufValue strings(List<String> values) {
        List<GgufValue> items = new ArrayList<>();
        for (String value : values) {
            items.add(new GgufValue.Str(value));
        }
        return new GgufValue.Arr(GgufType.STRING, items);
    }

    private static GgufValue ints(int[] values) {
        List<GgufValue> items = new ArrayList<>();
        for (int value : values) {
            items.add(new GgufValue.Int(GgufType.INT32, value));
        }
        return new GgufValue.Arr(GgufType.INT32, items);
    }
}

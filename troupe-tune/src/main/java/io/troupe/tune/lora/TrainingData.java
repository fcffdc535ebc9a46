package io.troupe.tune.lora;

import io.troupe.models.llamacpp.LlamaCppModel;
import io.troupe.tune.dataset.ChatExample;
import io.troupe.tune.model.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns chat examples into token sequences for a local model, exactly as that model will see them when Troupe serves
 * it: the prompt is the text {@link LlamaCppModel#renderPrompt} gives (the model's chat template, or its plain
 * format), the answer is what {@link LlamaCppModel#answerText} says the model writes (text, or the JSON envelope of a
 * tool call), and tokens come from llama.cpp's own tokenizer, with BOS in front when the model uses one and, when the
 * model can learn it, the end-of-sequence token after the answer, so the model learns to stop. A model that cannot
 * learn its end-of-sequence token learns the end of its turn in Troupe's transcript format ({@code "\n\nUser:"}, on
 * which generation stops) where that format is used.
 */
public final class TrainingData {
    private TrainingData() {}

    /**
     * The prepared examples.
     *
     * @param examples the sequences to train on, in the order of the chats they came from
     * @param skipped why each chat that could not be used was skipped ("example 3: …")
     * @param tokens tokens in all sequences
     * @param trainedTokens tokens that count towards the loss
     */
    public record Prepared(List<TrainingExample> examples, List<String> skipped, long tokens, long trainedTokens) {
        public Prepared {
            examples = List.copyOf(examples);
            skipped = List.copyOf(skipped);
        }
    }

    /**
     * Tokenises {@code chats} with {@code tokenizer} (a handle on the base model in llama.cpp).
     *
     * @param maxTokens longer sequences are skipped
     * @param endWithEos whether each answer ends with the end-of-sequence token, so the model learns to stop
     */
    public static Prepared prepare(
            List<ChatExample> chats,
            LlamaCppModel tokenizer,
            Vocabulary vocabulary,
            int maxTokens,
            boolean endWithEos) {
        List<TrainingExample> examples = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long tokens = 0;
        long trained = 0;
        for (int i = 0; i < chats.size(); i++) {
            ChatExample chat = chats.get(i);
            String where = "example " + (i + 1);
            String prompt = tokenizer.renderPrompt(chat.request()).join();
            String answer;
            try {
                answer = tokenizer.answerText(chat.request(), chat.answer());
            } catch (IllegalArgumentException e) {
                skipped.add(where + ": " + e.getMessage());
                continue;
            }
            if (answer.isEmpty()) {
                skipped.add(where + ": the answer is empty");
                continue;
            }
            if (!endWithEos) {
                // The transcript's next label stops generation as well as EOS would.
                answer += tokenizer.turnEnd(chat.request()).join().orElse("");
            }
            int[] promptTokens = vocabulary.withBos(tokenizer.tokenize(prompt).join());
            int[] full = vocabulary.withBos(tokenizer.tokenize(prompt + answer).join());
            if (full.length <= promptTokens.length
                    || !Arrays.equals(promptTokens, Arrays.copyOf(full, promptTokens.length))) {
                skipped.add(where + ": the prompt and the answer do not split at a token boundary (the answer's"
                        + " first characters merge with the prompt's last), so the model could not generate it as"
                        + " trained");
                continue;
            }
            boolean eos = endWithEos && vocabulary.eos() >= 0;
            int length = full.length + (eos ? 1 : 0);
            if (length > maxTokens) {
                skipped.add(where + ": " + length + " tokens, more than maxTokens (" + maxTokens + ")");
                continue;
            }
            int[] sequence = Arrays.copyOf(full, length);
            if (eos) {
                sequence[length - 1] = vocabulary.eos();
            }
            boolean[] flags = new boolean[length];
            Arrays.fill(flags, promptTokens.length, length, true);
            TrainingExample example = new TrainingExample(sequence, flags);
            examples.add(example);
            tokens += length;
            trained += example.trainedTokens();
        }
        return new Prepared(examples, skipped, tokens, trained);
    }
}

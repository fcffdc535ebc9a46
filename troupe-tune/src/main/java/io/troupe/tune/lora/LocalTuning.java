package io.troupe.tune.lora;

import io.troupe.api.ConfigurationException;
import io.troupe.models.llamacpp.LlamaCppModel;
import io.troupe.models.llamacpp.LlamaCppModels;
import io.troupe.models.llamacpp.LlamaCppSettings;
import io.troupe.models.llamacpp.ModelFiles;
import io.troupe.models.llamacpp.gguf.Gguf;
import io.troupe.tune.dataset.ChatExample;
import io.troupe.tune.dataset.ChatJsonl;
import io.troupe.tune.model.Backprop;
import io.troupe.tune.model.LoraWeights;
import io.troupe.tune.model.ModelShape;
import io.troupe.tune.model.Parallel;
import io.troupe.tune.model.Transformer;
import io.troupe.tune.model.Vocabulary;
import io.troupe.tune.model.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The whole local fine-tuning job that {@code troupe tune local} runs: read a chat dataset, tokenise it as the base
 * model will see it when served, train a LoRA adapter in Java, write it as a GGUF file, measure the loss on an
 * evaluation set, and check in llama.cpp that the adapted model reproduces trained answers token for token.
 */
public final class LocalTuning {
    private LocalTuning() {}

    /**
     * What to do.
     *
     * @param base the base model's GGUF file (F32, F16, BF16 or Q8_0 weights)
     * @param train the training set (OpenAI chat JSONL)
     * @param eval an evaluation set, or null
     * @param adapter where to write the adapter
     * @param checkpoint the checkpoint file to resume from and save to, or null for none
     * @param config the training settings
     * @param verify how many training examples to regenerate in llama.cpp with the adapter (0 for none)
     */
    public record Request(
            Path base,
            Path train,
            @Nullable Path eval,
            Path adapter,
            @Nullable Path checkpoint,
            TrainingConfig config,
            int verify) {}

    /**
     * What the job did.
     *
     * @param prepared the tokenised training set
     * @param training the training run
     * @param baseEvalLoss the base model's loss per answer token on the evaluation set, if one was given
     * @param evalLoss the adapted model's loss on it
     * @param verification the llama.cpp check, if asked for
     */
    public record Outcome(
            TrainingData.Prepared prepared,
            LoraTrainer.Result training,
            @Nullable Double baseEvalLoss,
            @Nullable Double evalLoss,
            @Nullable Verification verification) {}

    /**
     * How many trained answers llama.cpp reproduced with the adapter.
     *
     * @param checked examples regenerated
     * @param reproduced those whose every token matched
     * @param mismatches a description of each that did not
     */
    public record Verification(int checked, int reproduced, List<String> mismatches) {
        public Verification {
            mismatches = List.copyOf(mismatches);
        }
    }

    /** Where the job reports what it is doing. */
    public interface Listener {
        /** A line about a phase: loading, tokenising, writing, verifying. */
        void message(String line);

        /** Progress after each training step. */
        void progress(TrainingProgress progress);
    }

    /**
     * Runs the job.
     *
     * @param pool loads the base model in llama.cpp, for tokenising and for the verification
     * @param stop checked between training steps; when true, training saves its checkpoint and the job stops there
     * @throws ConfigurationException if the model cannot be trained, or the data does not fit it
     */
    public static Outcome run(Request request, LlamaCppModels pool, Listener listener, BooleanSupplier stop) {
        Gguf gguf = Gguf.read(request.base());
        ModelShape shape = ModelShape.of(gguf);
        listener.message(String.format(
                Locale.ROOT,
                "Base model %s: %s, %d blocks, width %d, %,d parameters",
                request.base().getFileName(),
                shape.architecture().id(),
                shape.layers(),
                shape.dim(),
                shape.parameters()));
        LlamaCppModel tokenizer = pool.model(request.base(), LlamaCppSettings.DEFAULTS);
        Vocabulary vocabulary = Vocabulary.of(gguf);
        List<ChatExample> chats = ChatJsonl.read(request.train());
        Weights weights = Weights.load(gguf);
        int twins = vocabulary.eos() >= 0 ? weights.outputTwins(vocabulary.eos()) : 0;
        boolean endWithEos = vocabulary.eos() >= 0 && twins == 0;
        if (!endWithEos) {
            listener.message("Note: this model cannot learn to stop: its end-of-sequence token"
                    + (vocabulary.eos() < 0
                            ? " is not defined"
                            : " shares its output row with " + twins + " other tokens (it was never trained)")
                    + ". Answers in Troupe's transcript format are trained to end with its next label, on which"
                    + " generation stops; other answers run until maxTokens.");
        }
        TrainingData.Prepared prepared = TrainingData.prepare(
                chats, tokenizer, vocabulary, request.config().maxTokens(), endWithEos);
        listener.message(String.format(
                Locale.ROOT,
                "Training set %s: %d examples, %d tokens (%d trained), %d skipped",
                request.train().getFileName(),
                prepared.examples().size(),
                prepared.tokens(),
                prepared.trainedTokens(),
                prepared.skipped().size()));
        prepared.skipped().forEach(reason -> listener.message("  skipped " + reason));
        if (prepared.examples().isEmpty()) {
            throw new ConfigurationException("Nothing to train on in " + request.train() + ": every example was"
                    + " skipped (see above). Export a dataset with answers for this kind of model.");
        }
        LoraTrainer trainer = new LoraTrainer(weights, request.config(), identity(request.base()));
        LoraTrainer.Result result = trainer.train(prepared.examples(), request.checkpoint(), listener::progress, stop);
        if (result.stopped()) {
            listener.message("Stopped after step " + result.steps() + "; the checkpoint " + request.checkpoint()
                    + " resumes it.");
            return new Outcome(prepared, result, null, null, null);
        }
        AdapterFile.write(result.lora(), gguf, adapterName(request.adapter()), request.adapter());
        listener.message("Wrote adapter " + request.adapter() + " (rank "
                + request.config().rank() + ", " + result.lora().parameters() + " parameters)");
        Double baseLoss = null;
        Double evalLoss = null;
        if (request.eval() != null) {
            TrainingData.Prepared eval = TrainingData.prepare(
                    ChatJsonl.read(request.eval()),
                    tokenizer,
                    vocabulary,
                    request.config().maxTokens(),
                    endWithEos);
            if (!eval.examples().isEmpty()) {
                try (Parallel parallel = new Parallel(request.config().threads())) {
                    Backprop model = new Backprop(new Transformer(weights, parallel));
                    baseLoss = meanLoss(model, eval.examples(), null);
                    evalLoss = meanLoss(model, eval.examples(), result.lora());
                }
                listener.message(String.format(
                        Locale.ROOT,
                        "Evaluation set %s: loss per answer token %.4f with the base model, %.4f with the adapter",
                        request.eval().getFileName(),
                        baseLoss,
                        evalLoss));
            }
        }
        Verification verification = null;
        if (request.verify() > 0) {
            verification = verify(request, pool, chats, prepared, tokenizer, vocabulary, endWithEos);
            listener.message("llama.cpp with the adapter reproduced " + verification.reproduced() + " of "
                    + verification.checked() + " trained answers token for token");
            verification.mismatches().forEach(m -> listener.message("  " + m));
        }
        return new Outcome(prepared, result, baseLoss, evalLoss, verification);
    }

    private static double meanLoss(Backprop model, List<TrainingExample> examples, @Nullable LoraWeights lora) {
        double sum = 0;
        long count = 0;
        for (TrainingExample example : examples) {
            Backprop.Loss loss = model.loss(example.tokenArray(), example.trainedArray(), lora);
            sum += loss.lossSum();
            count += loss.trainedTokens();
        }
        return sum / Math.max(1, count);
    }

    /** Generates each checked example's answer greedily in llama.cpp with the adapter and compares token by token. */
    private static Verification verify(
            Request request,
            LlamaCppModels pool,
            List<ChatExample> chats,
            TrainingData.Prepared prepared,
            LlamaCppModel tokenizer,
            Vocabulary vocabulary,
            boolean stops) {
        int checked = 0;
        int reproduced = 0;
        List<String> mismatches = new ArrayList<>();
        int longest = 0;
        for (TrainingExample example : prepared.examples()) {
            longest = Math.max(longest, example.trainedTokens());
        }
        // A model that learnt to stop must stop by itself; one that cannot is given exactly the answer's length.
        LlamaCppSettings settings = LlamaCppSettings.DEFAULTS.withMaxTokens(longest + 8);
        LlamaCppModel adapted = pool.model(ModelFiles.of(request.base()).withAdapter(request.adapter()), settings);
        for (ChatExample chat : chats) {
            if (checked >= request.verify()) {
                break;
            }
            String answer;
            try {
                answer = tokenizer.answerText(chat.request(), chat.answer());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (!stops) {
                answer += tokenizer.turnEnd(chat.request()).join().orElse("");
            }
            String prompt = tokenizer.renderPrompt(chat.request()).join();
            int[] promptTokens = vocabulary.withBos(tokenizer.tokenize(prompt).join());
            int[] full = vocabulary.withBos(tokenizer.tokenize(prompt + answer).join());
            if (full.length <= promptTokens.length) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            for (int i = promptTokens.length; i < full.length; i++) {
                expected.add(tokenizer.detokenize(new int[] {full[i]}).join());
            }
            LlamaCppModel generator = stops ? adapted : adapted.withMaxTokens(expected.size());
            List<String> generated = generator.completeRaw(prompt).join();
            checked++;
            if (generated.equals(expected)) {
                reproduced++;
            } else {
                mismatches.add("example " + checked + ": expected " + String.join("", expected) + " — got "
                        + String.join("", generated));
            }
        }
        return new Verification(checked, reproduced, mismatches);
    }

    /** The base model's identity in checkpoints: its file name and size. */
    static String identity(Path base) {
        try {
            return base.getFileName() + " (" + Files.size(base) + " bytes)";
        } catch (IOException e) {
            return String.valueOf(base.getFileName());
        }
    }

    private static String adapterName(Path adapter) {
        String name = adapter.getFileName().toString();
        return name.endsWith(".gguf") ? name.substring(0, name.length() - 5) : name;
    }
}

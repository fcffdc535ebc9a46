package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learning loop through the command line: a teacher model (a hosted model, scripted on a loopback server) serves
 * a team's runs; {@code troupe dataset export} turns the journaled runs into a dataset; {@code troupe tune local}
 * trains a LoRA adapter for stories260K in Java until the loss is below 0.05, and llama.cpp with the adapter
 * regenerates the trained answers token for token; {@code troupe eval --compare} scores the tuned model above the
 * base.
 */
class LoraTrainIT {
    private static final Map<String, String> STORIES = Map.of(
            "a cat", "The cat sat on the mat and took a nap.",
            "a ball", "Lily found a red ball in the park.",
            "a boat", "Tom made a little boat and it went on the water.");

    @TempDir
    Path dir;

    @Test
    void exportTrainServeAndCompare_tunedBeatsTheBase() throws Exception {
        try (ScriptedChatServer teacher = new ScriptedChatServer((model, prompt) -> STORIES.entrySet().stream()
                .filter(e -> prompt.contains("Tell a story about " + e.getKey()))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("Once upon a time."))) {
            Path journal = dir.resolve("journal");
            Path spec = Files.writeString(dir.resolve("stories.yaml"), """
                    troupe: 1
                    name: story-desk
                    models:
                      teacher: { provider: openai, model: teacher-model, base-url: "%s", api-key: "${TEST_KEY}" }
                    agents:
                      - { id: writer, model: teacher, instructions: "You write one-sentence stories." }
                    """.formatted(teacher.baseUrl()));
            StringBuilder cases = new StringBuilder();
            STORIES.forEach((topic, story) -> cases.append("{\"id\": \"")
                    .append(topic.replace(' ', '-'))
                    .append("\", \"task\": \"Tell a story about ")
                    .append(topic)
                    .append("\", \"expect\": {\"contains\": \"")
                    .append(story)
                    .append("\"}}\n"));
            Path casesFile = Files.writeString(dir.resolve("cases.jsonl"), cases);

            // 1. The teacher serves the team; its runs are journaled.
            Cli.Result served = troupe(journal, "eval", spec.toString(), "--cases", casesFile.toString());
            assertThat(served.exitCode()).as(served.describe()).isZero();
            assertThat(served.stdout()).contains("story-desk: score 100% (3 of 3 cases fully passed)");

            // 2. The journaled runs become a dataset of the teacher's answers.
            Path data = dir.resolve("data");
            Cli.Result exported = troupe(
                    journal,
                    "dataset",
                    "export",
                    "--out",
                    data.toString(),
                    "--model",
                    "teacher",
                    "--eval-fraction",
                    "0");
            assertThat(exported.exitCode()).as(exported.describe()).isZero();
            assertThat(exported.stdout()).containsPattern("(?m)^train examples\\s+3 ");
            assertThat(Files.readAllLines(data.resolve("train.jsonl")))
                    .hasSize(3)
                    .allSatisfy(line -> assertThat(line).contains("You write one-sentence stories."));

            // 3. A LoRA adapter for stories260K, trained in Java, reproduced by llama.cpp token for token.
            Path adapter = dir.resolve("writer.gguf");
            Cli.Result tuned = troupe(
                    journal,
                    "tune",
                    "local",
                    "--base",
                    "stories260K",
                    "--data",
                    data.resolve("train.jsonl").toString(),
                    "--eval",
                    data.resolve("train.jsonl").toString(),
                    "--out",
                    adapter.toString(),
                    "--epochs",
                    "80",
                    "--batch-size",
                    "3",
                    "--learning-rate",
                    "1e-2",
                    "--verify",
                    "3",
                    "--threads",
                    "2");
            assertThat(tuned.exitCode()).as(tuned.describe()).isZero();
            Matcher loss = Pattern.compile("final loss (\\d+\\.\\d+)").matcher(tuned.stdout());
            assertThat(loss.find()).as(tuned.stdout()).isTrue();
            assertThat(Double.parseDouble(loss.group(1))).isLessThan(0.05);
            assertThat(tuned.stdout())
                    .contains("llama.cpp with the adapter reproduced 3 of 3 trained answers token for token")
                    .containsPattern(
                            "loss per answer token \\d+\\.\\d+ with the base model, 0\\.0\\d+ with the adapter");

            // 4. The tuned local model scores above the base on the teacher's cases.
            Cli.Result compared = troupe(
                    journal,
                    "eval",
                    spec.toString(),
                    "--cases",
                    casesFile.toString(),
                    "--compare",
                    "stories260K",
                    "stories260K+" + adapter,
                    "--threshold",
                    "1");
            assertThat(compared.exitCode()).as(compared.describe()).isZero();
            assertThat(compared.stdout())
                    .containsPattern("(?m)^score\\s+0%\\s+100%$")
                    .contains("stories260K+" + adapter + ": score 100% (3 of 3 cases fully passed)");
        }
    }

    private static Cli.Result troupe(Path journal, String... args) throws Exception {
        if (args[0].equals("tune")) {
            return Cli.troupe(180, env -> {}, args);
        }
        String[] withJournal = new String[args.length + 2];
        System.arraycopy(args, 0, withJournal, 0, args.length);
        withJournal[args.length] = "--journal";
        withJournal[args.length + 1] = journal.toString();
        return Cli.troupe(180, env -> env.put("TEST_KEY", "test-key"), withJournal);
    }
}

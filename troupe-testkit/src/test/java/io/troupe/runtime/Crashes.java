package io.troupe.runtime;

import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Troupe;
import io.troupe.testkit.Match;
import io.troupe.testkit.Reply;
import io.troupe.testkit.ScriptedModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/** The child JVMs of {@link CrashSafetyIT}: each starts a runtime on a journal and prints where it stands. */
final class Crashes {
    static final String READY = "READY";
    static final String RUN = "RUN";
    static final String IN_FLIGHT = "IN-FLIGHT";
    static final String KILL = "KILL";
    /** Runs the burst submits, and after how many returned submissions the test kills it. */
    static final int BURST = 300;

    static final int KILL_AFTER = 150;

    enum Scenario {
        /** Holds the journal until killed. */
        HOLD,
        /** Starts a run whose model call never answers, and says when the call is in flight. */
        IN_FLIGHT,
        /** Submits {@link #BURST} runs one after another, printing each id once {@code run()} returned. */
        BURST
    }

    private Crashes() {}

    public static void main(String[] args) throws Exception {
        Scenario scenario = Scenario.valueOf(args[0]);
        Path journal = Path.of(args[1]).resolve("journal");
        TroupeRuntime.Builder builder =
                TroupeRuntime.builder().journal(Journal.h2(journal)).config("pekko.loglevel = ERROR");
        switch (scenario) {
            case HOLD -> {
                builder.start();
                say(READY);
            }
            case IN_FLIGHT -> {
                ScriptedModel model = new ScriptedModel().on(Match.any(), Reply.hang(() -> say(IN_FLIGHT)));
                Troupe troupe = builder.model("gpt", model).start();
                // The id is printed before the run can reach its model call: the test kills this JVM when the call is
                // in flight, and that call only starts once the run is journaled.
                RunHandle run = troupe.submit(CrashSafetyIT.SOLO, "Write a story", Map.of());
                say(RUN + " " + run.conversationId());
            }
            case BURST -> {
                ScriptedModel model = ScriptedModel.unordered();
                for (int i = 0; i < BURST; i++) {
                    // Slow enough that runs are still in flight when the kill comes.
                    model.on(
                            Match.any(), ((Reply.Respond) Reply.text("Story " + i + ".")).after(Duration.ofSeconds(2)));
                }
                Troupe troupe = builder.model("gpt", model).start();
                for (int i = 0; i < BURST; i++) {
                    RunHandle run = troupe.run(CrashSafetyIT.SOLO, "Story " + i, Map.of());
                    say(RUN + " " + run.conversationId());
                    if (i + 1 == KILL_AFTER) {
                        say(KILL);
                    }
                }
            }
        }
        new CountDownLatch(1).await(); // until killed
    }

    private static synchronized void say(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** Starts a child JVM with {@code scenario} on the journal in {@code dir}. */
    static Process start(Scenario scenario, Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), Crashes.class.getName()));
        command.addAll(List.of(scenario.name(), dir.toString()));
        return new ProcessBuilder(command)
                .redirectError(dir.resolve("child.log").toFile())
                .start();
    }

    /** Reads the child's output until {@code expected}; fails if it ends first. */
    static void awaitLine(Process child, String expected) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("the child ended without printing " + expected);
    }
}

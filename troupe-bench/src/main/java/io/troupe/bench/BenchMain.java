package io.troupe.bench;

import java.util.Arrays;

/**
 * Runs the benchmarks that need no JMH fork, in this JVM: {@code prompts}, {@code cpu [args]} or {@code e2e [args]};
 * with no arguments, the prompt-economy and CPU-per-step benchmarks on the in-memory journal. run.sh starts each in
 * its own JVM with the right flags instead, and runs JMH too.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String which = args.length > 0 ? args[0] : "default";
        String[] rest = args.length > 0 ? Arrays.copyOfRange(args, 1, args.length) : new String[0];
        switch (which) {
            case "prompts" -> PromptEconomyBench.main(rest);
            case "cpu" -> CpuPerStepBench.main(rest);
            case "e2e" -> EndToEndBench.main(rest);
            case "default" -> {
                PromptEconomyBench.main(rest);
                CpuPerStepBench.main(new String[] {"memory", "5", "10"});
            }
            default ->
                throw new IllegalArgumentException("Unknown benchmark '" + which
                        + "': use prompts, cpu or e2e (or no argument for the quick ones)");
        }
    }
}

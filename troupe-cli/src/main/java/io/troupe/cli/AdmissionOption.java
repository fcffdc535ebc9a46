package io.troupe.cli;

import io.troupe.config.RuntimeSettings;
import io.troupe.runtime.TroupeRuntime;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The admission options of the commands that start a runtime: how many runs it holds at once. Each overrides the
 * spec's {@code runtime:} setting of the same name, which overrides the runtime's default.
 */
final class AdmissionOption {
    @Option(
            names = "--max-runs-in-flight",
            paramLabel = "N",
            description = "The runs started on this runtime that may run at once (default: the spec's"
                    + " 'runtime: max-runs-in-flight', else 10,000). Past it, new runs wait; child runs are not"
                    + " counted.")
    @Nullable
    Integer maxRunsInFlight;

    @Option(
            names = "--max-queued-runs",
            paramLabel = "N",
            description = "The new runs that may wait for a place (default: the spec's 'runtime: max-queued-runs',"
                    + " else 10,000); 0 refuses a run at once when none is free.")
    @Nullable
    Integer maxQueuedRuns;

    @Option(
            names = "--max-queue-wait",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long a new run may wait for a place before it is refused, like 500ms, 30s or 2m"
                    + " (default: the spec's 'runtime: max-queue-wait', else 30s).")
    @Nullable
    Duration maxQueueWait;

    /** What is wrong with these options, in the words of the command line, or null. */
    @Nullable
    String problem() {
        if (maxRunsInFlight != null && maxRunsInFlight < 1) {
            return "--max-runs-in-flight must be at least 1, got " + maxRunsInFlight;
        }
        if (maxQueuedRuns != null && maxQueuedRuns < 0) {
            return "--max-queued-runs must not be negative, got " + maxQueuedRuns + " (0 refuses a run at once)";
        }
        return null;
    }

    /**
     * Sets the runtime's limits from these options, falling back on {@code spec}'s settings.
     *
     * @throws io.troupe.api.ConfigurationException from {@code start()} if a limit is out of range
     */
    TroupeRuntime.Builder apply(TroupeRuntime.Builder builder, RuntimeSettings spec) {
        Integer inFlight = maxRunsInFlight != null ? maxRunsInFlight : spec.maxRunsInFlight();
        Integer queued = maxQueuedRuns != null ? maxQueuedRuns : spec.maxQueuedRuns();
        Duration wait = maxQueueWait != null ? maxQueueWait : spec.maxQueueWait();
        if (inFlight != null) {
            builder.maxRunsInFlight(inFlight);
        }
        if (queued != null) {
            builder.maxQueuedRuns(queued);
        }
        if (wait != null) {
            builder.maxQueueWait(wait);
        }
        return builder;
    }

    /** Reads a duration written as a number with a unit, or several: {@code 500ms}, {@code 30s}, {@code 1m30s}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

        @Override
        public Duration convert(String text) {
            Matcher part = PART.matcher(text.strip());
            Duration total = Duration.ZERO;
            int end = 0;
            while (part.find() && part.start() == end) {
                end = part.end();
                long amount = Long.parseLong(part.group(1));
                total = total.plus(
                        switch (part.group(2)) {
                            case "ms" -> Duration.ofMillis(amount);
                            case "s" -> Duration.ofSeconds(amount);
                            case "m" -> Duration.ofMinutes(amount);
                            default -> Duration.ofHours(amount);
                        });
            }
            if (end == 0 || end != text.strip().length() || total.isZero()) {
                throw new TypeConversionException(
                        "'" + text + "' is not a positive duration: write a number with a unit (ms, s, m or h),"
                                + " like 500ms, 30s or 1m30s");
            }
            return total;
        }
    }
}

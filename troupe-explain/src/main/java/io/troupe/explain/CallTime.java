package io.troupe.explain;

import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Transcript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How long one model call, tool call or child run took, from the journal's times: from the journaling of its
 * {@code …Requested} to that of its {@code …Completed} (or {@code LlmFailed}). This is the time the run waited,
 * journal writes included.
 *
 * @param seq the sequence number (from 1) of the event that ended the call
 * @param step the call's step number
 * @param agent the agent that made the call
 * @param kind {@code model}, {@code tool} or {@code subrun}
 * @param name the model, the tool, or the member that is a team
 * @param took how long it took
 */
public record CallTime(int seq, int step, String agent, String kind, String name, Duration took) {
    public CallTime {
        Objects.requireNonNull(agent, "CallTime agent");
        Objects.requireNonNull(kind, "CallTime kind");
        Objects.requireNonNull(name, "CallTime name");
        Objects.requireNonNull(took, "CallTime took");
    }

    /** The calls of {@code transcript} that ended, in journal order; empty when it knows no times. */
    public static List<CallTime> of(Transcript transcript) {
        if (!transcript.timed()) {
            return List.of();
        }
        List<JournalEvent> events = transcript.events();
        Map<String, Integer> started = new HashMap<>();
        Map<String, String> names = new HashMap<>();
        List<CallTime> calls = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            switch (events.get(i)) {
                case JournalEvent.LlmRequested requested -> {
                    started.put("model:" + requested.step(), i);
                    names.put("model:" + requested.step(), requested.model());
                }
                case JournalEvent.ToolRequested requested -> {
                    started.put("tool:" + requested.step(), i);
                    names.put("tool:" + requested.step(), requested.call().name());
                }
                case JournalEvent.SubRunRequested requested -> {
                    started.put("subrun:" + requested.step(), i);
                    names.put("subrun:" + requested.step(), requested.agentId());
                }
                case JournalEvent.LlmCompleted completed ->
                    add(calls, transcript, started, names, i, "model", completed.step(), completed.agentId());
                case JournalEvent.LlmFailed failed ->
                    add(calls, transcript, started, names, i, "model", failed.step(), failed.agentId());
                case JournalEvent.ToolCompleted completed ->
                    add(calls, transcript, started, names, i, "tool", completed.step(), completed.agentId());
                case JournalEvent.SubRunCompleted completed ->
                    add(calls, transcript, started, names, i, "subrun", completed.step(), completed.agentId());
                default -> {}
            }
        }
        return calls;
    }

    /** {@code duration} for people: {@code 4.25 s}, {@code 2 min 5.5 s}, {@code 120 ms}. */
    public static String words(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        long minutes = millis / 60_000;
        String seconds = java.math.BigDecimal.valueOf(millis % 60_000, 3)
                .stripTrailingZeros()
                .toPlainString();
        return minutes == 0 ? seconds + " s" : minutes + " min " + seconds + " s";
    }

    private static void add(
            List<CallTime> calls,
            Transcript transcript,
            Map<String, Integer> started,
            Map<String, String> names,
            int end,
            String kind,
            int step,
            String agent) {
        Integer start = started.remove(kind + ":" + step);
        if (start == null) {
            return; // its request was journaled before a restart's reissue: counted from the reissue
        }
        String name = names.remove(kind + ":" + step);
        Duration down = downtime(transcript.events(), start, end);
        transcript
                .between(start, end)
                .ifPresent(took -> calls.add(new CallTime(
                        end + 1, step, agent, kind, Objects.requireNonNull(name), positive(took.minus(down)))));
    }

    /**
     * The time the run was stopped or waited for a person between events {@code from} and {@code to}: what its
     * {@link JournalEvent.RunResumed} events say. A call that spans a crash did not take that time.
     */
    static Duration downtime(List<JournalEvent> events, int from, int to) {
        Duration down = Duration.ZERO;
        for (int i = Math.max(0, from); i <= Math.min(to, events.size() - 1); i++) {
            if (events.get(i) instanceof JournalEvent.RunResumed resumed) {
                down = down.plus(resumed.downtime());
            }
        }
        return down;
    }

    private static Duration positive(Duration duration) {
        return duration.isNegative() ? Duration.ZERO : duration;
    }
}

package io.troupe.tune.dataset;

import io.troupe.api.model.ChatMessage;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Turns a run's journal into chat examples: one for every model call that completed. */
final class TranscriptExamples {
    private TranscriptExamples() {}

    static List<ChatExample> of(Transcript transcript) {
        String outcome = transcript
                .outcome()
                .map(o -> switch (o) {
                    case Outcome.Completed c -> "completed";
                    case Outcome.Failed f -> "failed";
                    case Outcome.BudgetExceeded b -> "budget-exceeded";
                    case Outcome.Cancelled c -> "cancelled";
                })
                .orElse("running");
        String approval = approval(transcript);
        Map<Integer, JournalEvent.LlmRequested> requests = new HashMap<>();
        Map<String, String> roles = new HashMap<>();
        List<ChatExample> examples = new ArrayList<>();
        for (JournalEvent event : transcript.events()) {
            switch (event) {
                case JournalEvent.RunStarted started -> collectRoles(started.team(), roles);
                case JournalEvent.LlmRequested requested -> requests.put(requested.step(), requested);
                case JournalEvent.LlmCompleted completed -> {
                    JournalEvent.LlmRequested requested = requests.remove(completed.step());
                    if (requested != null) {
                        List<ChatMessage> messages =
                                new ArrayList<>(requested.request().messages());
                        messages.add(new ChatMessage.Assistant(
                                completed.response().text(),
                                completed.response().toolCalls()));
                        Provenance provenance = new Provenance(
                                transcript.conversationId(),
                                completed.step(),
                                completed.agentId(),
                                role(roles, completed.agentId()),
                                requested.model(),
                                completed.response().servedBy(),
                                completed.response().usage(),
                                outcome,
                                approval);
                        examples.add(new ChatExample(
                                messages,
                                requested.request().tools(),
                                requested.request().responseSchema(),
                                provenance));
                    }
                }
                default -> {}
            }
        }
        return examples;
    }

    /** What people decided in the run: approved (and denied nothing), denied (something), or unreviewed. */
    private static String approval(Transcript transcript) {
        boolean approved = false;
        for (JournalEvent event : transcript.events()) {
            if (event instanceof JournalEvent.ApprovalDecided decided) {
                if (!decided.approved()) {
                    return "denied";
                }
                approved = true;
            }
        }
        return approved ? "approved" : "unreviewed";
    }

    private static void collectRoles(TeamSpec team, Map<String, String> roles) {
        for (Member member : team.members()) {
            roles.put(member.id(), member.role()); // a subteam's own agents run in child runs of their own
        }
    }

    private static @Nullable String role(Map<String, String> roles, String agentId) {
        return roles.get(agentId);
    }
}

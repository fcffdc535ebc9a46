package io.troupe.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.Awaitility;

/** What every cluster test checks once its runs have finished: outcomes, effects, messages and journal writers. */
final class Checks {
    private Checks() {}

    /** Every run completed with the last agent's answer. */
    static void allCompleted(ClusterFixture cluster, Collection<String> ids) {
        Map<String, String> statuses = cluster.statuses();
        List<String> notCompleted = ids.stream()
                .filter(id -> !"COMPLETED".equals(statuses.get(id)))
                .map(id -> id + "=" + statuses.get(id))
                .toList();
        assertThat(notCompleted).as("runs that did not complete").isEmpty();
    }

    /**
     * Each run applied exactly the effects of its three tool-calling agents, once each, however often a tool was
     * called again after a crash or a handover (the same idempotency key each time).
     */
    static void effectsExactlyOnce(ClusterFixture cluster, Collection<String> ids) throws SQLException {
        Map<String, List<String>> effects = cluster.effects();
        SoftAssertions soft = new SoftAssertions();
        for (String id : ids) {
            soft.assertThat(effects.get(id)).as("effects of run " + id).containsExactly("a1", "a3", "a5");
        }
        long rows = effects.values().stream().mapToLong(List::size).sum();
        soft.assertThat(cluster.effectTotal())
                .as("effects applied in all, each once")
                .isEqualTo(rows);
        soft.assertAll();
    }

    /**
     * Any node answers for any run: two runs started through {@code nodes[0]} wait for a person; {@code nodes[1]}
     * lists their approvals, {@code nodes[2]} approves one (which then completes, its held tool call made once) and
     * {@code nodes[1]} cancels the other.
     */
    static void anyNodeAnswersForAnyRun(ClusterFixture cluster, List<ClusterNode> nodes) throws Exception {
        String approved = cluster.startRun(nodes.get(0), "approval");
        String cancelled = cluster.startRun(nodes.get(0), "approval");
        Map<String, String> approvals = new HashMap<>();
        // Polling the API for what waits, as an operator's console does.
        Awaitility.await("both runs held for approval, listed through another node")
                .atMost(java.time.Duration.ofMinutes(2))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> {
                    for (JsonNode approval : nodes.get(1).get("/api/approvals").path("approvals")) {
                        approvals.put(
                                approval.path("run").asText(),
                                approval.path("id").asText());
                    }
                    approvals.keySet().retainAll(List.of(approved, cancelled));
                    return approvals.size() == 2;
                });
        JsonNode decided =
                nodes.get(2).post("/api/approvals/" + approvals.get(approved) + "/approve", "{\"by\": \"ops\"}", 200);
        assertThat(decided.path("id").asText()).isEqualTo(approvals.get(approved));
        JsonNode stopped =
                nodes.get(1).post("/api/runs/" + cancelled + "/cancel", "{\"reason\": \"not this one\"}", 200);
        assertThat(stopped.path("status").asText()).isEqualTo("CANCELLED");
        assertThat(stopped.path("outcome").path("reason").asText()).isEqualTo("not this one");
        cluster.awaitFinished(List.of(approved, cancelled), () -> nodes.subList(1, 3), java.time.Duration.ofMinutes(2));
        assertThat(cluster.statuses()).containsEntry(approved, "COMPLETED").containsEntry(cancelled, "CANCELLED");
        assertThat(cluster.effects().get(approved)).containsExactly("a1");
        assertThat(cluster.effects()).doesNotContainKey(cancelled);
    }

    /**
     * Every message the journal acknowledged reached its receiver exactly once: each request to an agent started
     * exactly one turn of that agent, each answer is in the next request exactly once, the journal's positions have
     * no gap and no repeat, and the run's answer is the last agent's.
     */
    static void messagesExactlyOnce(List<ClusterNode> via, Collection<String> ids) throws IOException {
        SoftAssertions soft = new SoftAssertions();
        int turn = 0;
        for (String id : ids) {
            JsonNode page = via.get(turn++ % via.size()).get("/api/runs/" + id + "/events?limit=10000");
            List<JsonNode> events = new ArrayList<>();
            page.path("events").forEach(events::add);
            for (int i = 0; i < events.size(); i++) {
                soft.assertThat(events.get(i).path("seq").asInt())
                        .as(id + " position")
                        .isEqualTo(i + 1);
            }
            Map<String, JsonNode> requests = new LinkedHashMap<>();
            Map<String, Integer> turns = new HashMap<>();
            List<String> answers = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (JsonNode event : events) {
                JsonNode body = event.path("event");
                switch (event.path("type").asText()) {
                    case "MessageSent" -> {
                        JsonNode message = body.path("message");
                        String performative = message.path("performative").asText();
                        if (performative.equals("REQUEST")) {
                            JsonNode previous = requests.put(message.path("id").asText(), message);
                            soft.assertThat(previous)
                                    .as(id + ": request journaled twice")
                                    .isNull();
                        } else if (performative.equals("INFORM")) {
                            answers.add(message.path("body").asText());
                        }
                    }
                    case "TurnStarted" -> {
                        turns.merge(
                                body.path("requestId").asText() + "/"
                                        + body.path("agentId").asText(),
                                1,
                                Integer::sum);
                        order.add(body.path("agentId").asText());
                    }
                    default -> {}
                }
            }
            soft.assertThat(order).as(id + ": agents in order").containsExactlyElementsOf(ClusterFixture.AGENTS);
            for (JsonNode request : requests.values()) {
                String receiver = request.path("receivers").path("ids").get(0).asText();
                soft.assertThat(turns.get(request.path("id").asText() + "/" + receiver))
                        .as(id + ": turns of " + receiver + " on request "
                                + request.path("id").asText())
                        .isEqualTo(1);
            }
            soft.assertThat(answers)
                    .as(id + ": answers")
                    .containsExactly("a1 done.", "a2 done.", "a3 done.", "a4 done.", "a5 done.");
            List<JsonNode> list = new ArrayList<>(requests.values());
            for (int i = 1; i < list.size(); i++) {
                String previous = ClusterFixture.AGENTS.get(i - 1);
                String text = list.get(i).path("body").asText();
                soft.assertThat(text.split(previous + " done\\.", -1).length - 1)
                        .as(id + ": " + previous + "'s answer in the next request")
                        .isEqualTo(1);
            }
            soft.assertThat(events.getLast().path("type").asText())
                    .as(id + " ends")
                    .isEqualTo("RunFinished");
            soft.assertThat(events.getLast()
                            .path("event")
                            .path("outcome")
                            .path("result")
                            .asText())
                    .as(id + " result")
                    .isEqualTo("a5 done.");
        }
        soft.assertAll();
    }

    /**
     * No conversation was written by two nodes at once: each sequence number has one writer, and each conversation's
     * writers take turns at most once each (a node that handed a conversation over, or lost it, never writes to it
     * again).
     */
    static Map<String, List<String>> oneWriterAtATime(ClusterFixture cluster) throws SQLException {
        Map<String, List<ClusterFixture.Write>> byRun = new LinkedHashMap<>();
        for (ClusterFixture.Write write : cluster.conversationWrites()) {
            byRun.computeIfAbsent(write.conversation(), id -> new ArrayList<>()).add(write);
        }
        Map<String, List<String>> writers = new LinkedHashMap<>();
        SoftAssertions soft = new SoftAssertions();
        byRun.forEach((run, writes) -> {
            List<String> segments = new ArrayList<>();
            long seq = 0;
            Instant at = Instant.MIN;
            for (ClusterFixture.Write write : writes) {
                soft.assertThat(write.seq()).as(run + ": sequence numbers").isEqualTo(seq + 1);
                soft.assertThat(write.at()).as(run + ": writes in time order").isAfterOrEqualTo(at);
                seq = write.seq();
                at = write.at();
                String writer = write.node() + "/" + write.writer();
                if (segments.isEmpty() || !segments.getLast().equals(writer)) {
                    soft.assertThat(segments)
                            .as(run + ": a writer that comes back")
                            .doesNotContain(writer);
                    segments.add(writer);
                }
            }
            writers.put(
                    run,
                    segments.stream().map(w -> w.substring(0, w.indexOf('/'))).toList());
        });
        soft.assertAll();
        return writers;
    }
}

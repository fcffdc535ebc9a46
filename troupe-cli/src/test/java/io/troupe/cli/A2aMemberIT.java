package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.protocol.Message;
import io.troupe.api.protocol.Performative;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.DecisionRecord;
import io.troupe.config.ScenarioSpec;
import io.troupe.config.SpecLoader;
import io.troupe.interop.a2a.PerformativeMechanism;
import io.troupe.interop.a2a.Performatives;
import io.troupe.launch.SpecModels;
import io.troupe.runtime.Journal;
import io.troupe.runtime.TroupeRuntime;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A contract-net whose bidders include a remote A2A agent served by a second Troupe process ({@code troupe a2a
 * serve}): the CFP, the bid and the award cross the wire (recorded by a proxy between the two) with the performative
 * metadata intact, the remote agent wins on cost and does the work, and its bid and work are journaled in the
 * caller's run. Both sides think with an OpenAI-compatible server on loopback that answers each analyst in its own
 * voice, so that the bids, and so the award, are known in advance.
 */
class A2aMemberIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REMOTE_WORK = "Remote report: the harbour market is calm.";

    @TempDir
    Path dir;

    /** The remote analyst bids 2 dollars, the local one 9; each writes its own report. */
    private static LoopbackModel.Reply answer(JsonNode body) {
        String system = "";
        for (JsonNode message : body.path("messages")) {
            if (message.path("role").asText().equals("system")) {
                system = message.path("content").asText();
            }
        }
        boolean remote = system.contains("remote analyst");
        boolean bid = body.has("response_format");
        if (bid) {
            return LoopbackModel.Reply.text(
                    "{\"cost\": " + (remote ? 2 : 9) + ", \"eta\": \"1h\", \"confidence\": 0.9, \"rationale\": \""
                            + (remote ? "remote desk, cheap" : "local desk, dear") + "\"}",
                    40,
                    20);
        }
        return LoopbackModel.Reply.text(remote ? REMOTE_WORK : "Local report.", 40, 12);
    }

    @Test
    void aRemoteAgent_bidsInAContractNet_winsTheAward_andItsWorkIsJournaledInTheCallersRun() throws Exception {
        try (LoopbackModel llm = new LoopbackModel(A2aMemberIT::answer);
                RecordingProxy proxy = new RecordingProxy()) {
            Path remoteSpec = dir.resolve("analysts.yaml");
            Files.writeString(remoteSpec, """
                    troupe: 1
                    name: analysts
                    models:
                      llm: { provider: openai, model: fake, base-url: "%s" }
                    agents:
                      - { id: analyst, role: analyst, model: llm, instructions: "You are the remote analyst." }
                    budget: { tokens: 20000, turns: 6, wall: 2m }
                    """.formatted(llm.baseUrl()));
            Path stderr = dir.resolve("remote.err");
            Process remote = Cli.start(
                    env -> {},
                    stderr,
                    "a2a",
                    "serve",
                    remoteSpec.toString(),
                    "--port",
                    "0",
                    "--public-url",
                    proxy.uri(),
                    "--journal",
                    dir.resolve("remote-journal").toString());
            try {
                Pattern serving = Pattern.compile("Serving A2A agent 'analysts' at http://127\\.0\\.0\\.1:(\\d+)/a2a");
                String port = await().atMost(Duration.ofMinutes(2))
                        .until(
                                () -> {
                                    Matcher matcher = serving.matcher(Files.readString(stderr));
                                    return matcher.find() ? matcher.group(1) : null;
                                },
                                found -> found != null || !remote.isAlive());
                assertThat(port)
                        .as("the remote agent started:\n%s", Files.readString(stderr))
                        .isNotNull();
                proxy.target(URI.create("http://127.0.0.1:" + port));
                callerRun(llm, proxy);
            } finally {
                remote.destroy();
                assertThat(remote.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(Files.readString(stderr)).doesNotContain("Exception");
            try (var audits = Files.list(dir.resolve("remote-journal").resolve("audit"))) {
                assertThat(audits.map(f -> f.getFileName().toString()))
                        .as("the served spec's guardrails (here the default audit log) hold for its runs")
                        .anySatisfy(name -> assertThat(name).endsWith(".audit.jsonl"));
            }
        }
    }

    private void callerRun(LoopbackModel llm, RecordingProxy proxy) throws Exception {
        ScenarioSpec caller =
                SpecLoader.parse("""
                troupe: 1
                name: buyers
                models:
                  llm: { provider: openai, model: fake, base-url: "%s" }
                  desk: { provider: a2a, url: "%s/a2a" }
                agents:
                  - { id: local, role: analyst, model: llm, instructions: "You are the local analyst." }
                  - { id: remote, role: analyst, model: desk }
                team:
                  mechanism: contract-net
                  eligible: { role: analyst }
                  scoring: lowest-cost
                  bid-deadline: 90s
                budget: { tokens: 50000, turns: 12, wall: 3m }
                task: "Report on the harbour market."
                """.formatted(llm.baseUrl(), proxy.uri()), "buyers.yaml", System::getenv);
        try (SpecModels models = SpecModels.build(caller, System.err, new Notices(System.err))) {
            TroupeRuntime.Builder builder = TroupeRuntime.builder()
                    .journal(Journal.inMemory())
                    .mechanism(PerformativeMechanism.NAME, PerformativeMechanism::new);
            models.models().forEach(builder::model);
            try (Troupe troupe = builder.start()) {
                RunHandle run = troupe.run(caller.team(), caller.task(), Map.of());
                Outcome outcome = run.outcome().toCompletableFuture().get(3, TimeUnit.MINUTES);
                assertThat(outcome).isEqualTo(new Outcome.Completed(REMOTE_WORK, null));
                Transcript transcript = troupe.replay(run.conversationId())
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
                checkJournal(run.conversationId(), transcript, proxy);
            }
        }
    }

    /** The remote agent's bid and work are in the caller's journal, and crossed the wire as the extension says. */
    private void checkJournal(String runId, Transcript transcript, RecordingProxy proxy) throws Exception {
        List<Message> messages = transcript.messages();
        Message cfp = messages.stream()
                .filter(m -> m.performative() == Performative.CFP)
                .findFirst()
                .orElseThrow();
        Message bid = messages.stream()
                .filter(m ->
                        m.performative() == Performative.PROPOSE && m.sender().equals("remote"))
                .findFirst()
                .orElseThrow();
        assertThat(bid.inReplyTo()).isEqualTo(cfp.id());
        assertThat(JSON.readTree(bid.payload()).path("cost").asInt()).isEqualTo(2);
        DecisionRecord award = transcript.decisions().stream()
                .filter(d -> d.kind().equals("award"))
                .findFirst()
                .orElseThrow();
        assertThat(award.chosen()).isEqualTo("remote");
        Message accept = messages.stream()
                .filter(m -> m.performative() == Performative.ACCEPT)
                .findFirst()
                .orElseThrow();
        assertThat(accept.inReplyTo()).isEqualTo(bid.id());
        assertThat(messages)
                .filteredOn(m -> m.sender().equals("remote") && m.performative() == Performative.INFORM)
                .extracting(Message::body)
                .containsExactly(REMOTE_WORK);
        assertThat(messages)
                .filteredOn(m -> m.performative() == Performative.REJECT)
                .extracting(m -> m.receivers().toString())
                .singleElement()
                .satisfies(to -> assertThat(to).contains("local"));
        assertThat(transcript.events())
                .filteredOn(e -> e instanceof JournalEvent.LlmCompleted completed
                        && completed.agentId().equals("remote"))
                .hasSize(2);

        List<JsonNode> sent = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (RecordingProxy.Exchange exchange : proxy.exchanges()) {
            if (exchange.method().equals("POST")) {
                sent.add(JSON.readTree(exchange.request()));
                answers.add(exchange.response());
            }
        }
        assertThat(sent).extracting(r -> r.path("method").asText()).startsWith("SendStreamingMessage");
        JsonNode cfpOnWire = sent.get(0).path("params").path("message");
        JsonNode cfpEnvelope = cfpOnWire.path("metadata").path(Performatives.URI);
        assertThat(cfpOnWire.path("extensions").toString()).contains(Performatives.URI);
        assertThat(cfpEnvelope.path("performative").asText()).isEqualTo("CFP");
        assertThat(cfpEnvelope.path("conversationId").asText()).isEqualTo(runId);
        assertThat(cfpEnvelope.path("replyWith").asText()).isEqualTo(cfp.id());
        assertThat(cfpEnvelope.path("replyBy").asText()).isNotBlank();
        assertThat(cfpEnvelope.path("responseSchema").path("properties").has("cost"))
                .isTrue();
        assertThat(cfpOnWire.path("parts").get(0).path("text").asText()).contains("Report on the harbour market.");

        JsonNode proposal = lastResult(answers.get(0)).path("statusUpdate").path("status");
        assertThat(proposal.path("state").asText()).isEqualTo("TASK_STATE_INPUT_REQUIRED");
        JsonNode proposalEnvelope = proposal.path("message").path("metadata").path(Performatives.URI);
        assertThat(proposalEnvelope.path("performative").asText()).isEqualTo("PROPOSE");
        assertThat(proposalEnvelope.path("inReplyTo").asText()).isEqualTo(cfp.id());
        assertThat(proposalEnvelope.path("conversationId").asText()).isEqualTo(runId);
        assertThat(proposal.path("message")
                        .path("parts")
                        .findValue("data")
                        .path("cost")
                        .asInt())
                .isEqualTo(2);
        String taskId =
                lastResult(answers.get(0)).path("statusUpdate").path("taskId").asText();

        JsonNode acceptOnWire = sent.stream()
                .map(r -> r.path("params").path("message"))
                .filter(m -> m.path("metadata")
                        .path(Performatives.URI)
                        .path("performative")
                        .asText()
                        .equals("ACCEPT"))
                .findFirst()
                .orElseThrow();
        JsonNode acceptEnvelope = acceptOnWire.path("metadata").path(Performatives.URI);
        assertThat(acceptOnWire.path("taskId").asText())
                .as("ACCEPT follows up on the proposal's task")
                .isEqualTo(taskId);
        assertThat(acceptEnvelope.path("inReplyTo").asText())
                .isEqualTo(proposalEnvelope.path("replyWith").asText());
        assertThat(acceptEnvelope.path("replyWith").asText()).isEqualTo(accept.id());
        assertThat(acceptEnvelope.path("conversationId").asText()).isEqualTo(runId);

        String work = answers.get(sent.indexOf(sent.stream()
                .filter(r -> r.path("params").path("message").equals(acceptOnWire))
                .findFirst()
                .orElseThrow()));
        JsonNode artifact = null;
        for (JsonNode event : results(work)) {
            if (event.has("artifactUpdate")) {
                artifact = event.path("artifactUpdate").path("artifact");
            }
        }
        assertThat(artifact).isNotNull();
        assertThat(artifact.path("parts").get(0).path("text").asText()).isEqualTo(REMOTE_WORK);
        JsonNode inform = artifact.path("metadata").path(Performatives.URI);
        assertThat(inform.path("performative").asText()).isEqualTo("INFORM");
        assertThat(inform.path("inReplyTo").asText()).isEqualTo(accept.id());
        assertThat(lastResult(work)
                        .path("statusUpdate")
                        .path("status")
                        .path("state")
                        .asText())
                .isEqualTo("TASK_STATE_COMPLETED");
    }

    private static List<JsonNode> results(String sse) throws Exception {
        List<JsonNode> results = new ArrayList<>();
        for (String line : sse.split("\n")) {
            if (line.startsWith("data:")) {
                results.add(JSON.readTree(line.substring(5).strip()).path("result"));
            }
        }
        return results;
    }

    private static JsonNode lastResult(String sse) throws Exception {
        return results(sse).getLast();
    }
}

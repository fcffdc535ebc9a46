package io.troupe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.troupe.api.protocol.Receivers;
import io.troupe.api.run.JournalEvent;
import io.troupe.api.run.RunHandle;
import io.troupe.api.run.Transcript;
import io.troupe.explain.Explainer;
import io.troupe.explain.Explanation;
import io.troupe.explain.RunDiff;
import io.troupe.explain.RunState;
import io.troupe.explain.ScoreCard;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The web console in a real browser: headless Chromium (the system's, never a downloaded one) driven by Playwright
 * from {@code src/test/e2e/console.e2e.mjs}, against a server on loopback that holds the golden journal (three agents,
 * an auction of three bids, a majority vote, a guardrail block, budget charges), its variant that diverges at the
 * auction, a run that waits for approval, a live run and a run of 10,000 events. The browser script reports what the
 * page shows; this test checks it against the journal and troupe-explain. Screenshots stay in {@code
 * target/console-e2e}. Every page must run without a page error, a console error or a failed request.
 */
class ConsoleE2EIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path E2E = Path.of("src/test/e2e");
    private static final Path OUT = Path.of("target/console-e2e");
    private static final String TASK = "Translate the manual into German";
    private static final int RELAY_TURNS = 1_667;

    private static ConsoleDesk desk;
    private static TroupeServer server;
    private static HttpServer control;
    private static Transcript golden;
    private static Transcript variant;
    private static String held;
    private static String denied;
    private static Transcript perf;

    @BeforeAll
    static void start() throws Exception {
        requireBrowser();
        desk = new ConsoleDesk();
        server = desk.start();
        control = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        control.createContext("/release", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            desk.model.release(Integer.parseInt(query.substring(query.indexOf('=') + 1)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        control.start();
        golden = transcript(ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), TASK));
        variant = transcript(ConsoleDesk.runToEnd(server, ConsoleDesk.desk(), "VARIANT: " + TASK));
        held = server.node().run(ConsoleDesk.desk(), "APPROVAL: " + TASK).conversationId();
        denied = server.node().run(ConsoleDesk.desk(), "APPROVAL: " + TASK).conversationId();
        perf = transcript(ConsoleDesk.runToEnd(server, ConsoleDesk.relay(RELAY_TURNS), "Relay the word"));
    }

    @AfterAll
    static void stop() {
        if (control != null) {
            control.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    @DisplayName("the sequence view draws an arrow per message of the journal, an activation per model call,"
            + " a tick per charge and a badge for the guardrail's block")
    void sequence_matchesTheJournal() throws Exception {
        JsonNode shown = browse("sequence");

        assertThat(shown.path("events").asInt()).isEqualTo(golden.events().size());
        assertThat(texts(shown.path("lifelines"))).containsExactly("@team", "ann", "ben", "cat");
        List<String> expected = new ArrayList<>();
        List<String> expectedTicks = new ArrayList<>();
        List<String> expectedActivations = new ArrayList<>();
        List<String> expectedBlocks = new ArrayList<>();
        for (int i = 0; i < golden.events().size(); i++) {
            int seq = i + 1;
            switch (golden.events().get(i)) {
                case JournalEvent.MessageSent sent ->
                    expected.add(seq + " " + sent.message().sender() + " → "
                            + String.join(
                                    ",", ((Receivers.Agents) sent.message().receivers()).ids()) + " "
                            + sent.message().performative());
                case JournalEvent.LlmCompleted done ->
                    expectedTicks.add(seq + " " + done.agentId() + " "
                            + plain(done.response().usage().cost()));
                case JournalEvent.LlmRequested requested ->
                    expectedActivations.add(seq + " " + requested.agentId() + " chat");
                case JournalEvent.Intercepted intercepted
                when intercepted.rulings().stream()
                        .anyMatch(r -> r.verdict() instanceof io.troupe.api.intercept.Verdict.Block) ->
                    expectedBlocks.add(seq + " " + intercepted.agentId());
                default -> {}
            }
        }
        List<String> arrows = new ArrayList<>();
        for (JsonNode arrow : shown.path("arrows")) {
            arrows.add(arrow.path("seq").asInt() + " " + arrow.path("from").asText() + " → "
                    + String.join(",", texts(arrow.path("to"))) + " "
                    + arrow.path("performative").asText());
            assertThat(arrow.path("label").asText())
                    .startsWith(arrow.path("performative").asText() + ": ");
        }
        assertThat(arrows).containsExactlyElementsOf(expected);
        assertThat(expected).hasSize(20);
        assertThat(objects(
                        shown.path("ticks"),
                        t -> t.path("seq").asInt() + " " + t.path("agent").asText() + " "
                                + plain(t.path("cost").decimalValue())))
                .containsExactlyElementsOf(expectedTicks);
        assertThat(objects(
                        shown.path("activations"),
                        a -> a.path("seq").asInt() + " " + a.path("agent").asText() + " "
                                + a.path("kind").asText()))
                .containsExactlyElementsOf(expectedActivations);
        List<String> blocks = new ArrayList<>();
        for (JsonNode badge : shown.path("badges")) {
            if (badge.path("verdict").asText().equals("block")) {
                blocks.add(badge.path("seq").asInt() + " " + badge.path("agent").asText());
                assertThat(badge.path("label").asText()).contains("block by email: an e-mail address");
            }
        }
        assertThat(blocks).containsExactlyElementsOf(expectedBlocks).hasSize(1);
        assertThat(objects(
                        shown.path("decisions"),
                        d -> d.path("kind").asText() + " " + d.path("chosen").asText()))
                .containsExactly("auction ann", "vote ann");
        assertThat(shown.path("inspector").asText())
                .contains(
                        "'email' blocked the outgoing message of cat: an e-mail address (PII) in an outgoing message");
    }

    @Test
    @DisplayName("the sequence view grows while a live run streams, one answer at a time, and ends with the journal")
    void sequence_growsWhileALiveRunStreams() throws Exception {
        RunHandle live = server.node().run(ConsoleDesk.desk(), "LIVE: " + TASK);

        JsonNode shown = browse("live", Map.of("live", live.conversationId()));

        List<Integer> counts = new ArrayList<>();
        shown.path("counts").forEach(c -> counts.add(c.asInt()));
        assertThat(counts).hasSize(5).isSorted().doesNotHaveDuplicates();
        assertThat(counts.getFirst()).isGreaterThanOrEqualTo(1);
        assertThat(shown.path("followedEnd").asBoolean()).isTrue();
        live.outcome().toCompletableFuture().get(1, TimeUnit.MINUTES);
        Transcript journal = transcript(live);
        assertThat(shown.path("events").asInt()).isEqualTo(journal.events().size());
        long messages = journal.events().stream()
                .filter(JournalEvent.MessageSent.class::isInstance)
                .count();
        assertThat(shown.path("arrows").size()).isEqualTo((int) messages);
    }

    @Test
    @DisplayName("the scrubber at step k shows the state the API returns for k, from the URL or moved by hand")
    void scrubber_showsTheStateOfTheApiAtK() throws Exception {
        int auction = seqOf(golden, "auction");
        int block = blockSeq(golden);
        List<Integer> steps = List.of(10, auction, block, golden.events().size() - 1);

        JsonNode shown = browse("scrubber", Map.of("steps", steps));

        assertThat(shown.path("checks")).hasSize(steps.size());
        for (JsonNode check : shown.path("checks")) {
            int k = check.path("k").asInt();
            RunState state = RunState.fold(golden.conversationId(), golden.events(), k);
            assertShows(check.path("shown"), check.path("api"), state);
            assertThat(check.path("cursor").asInt()).isEqualTo(k);
            assertThat(check.path("futureRows").asInt())
                    .isEqualTo(golden.events().size() - k);
        }
        JsonNode moved = shown.path("moved");
        int k = moved.path("k").asInt();
        assertThat(moved.path("url").asText()).contains("at=" + k).contains("run=" + golden.conversationId());
        assertShows(moved.path("shown"), moved.path("api"), RunState.fold(golden.conversationId(), golden.events(), k));
    }

    @Test
    @DisplayName("the market card shows the auction's winner, margin and price and why each loser lost, and the vote"
            + " as a voter × option matrix")
    void market_showsWinnerMarginAndEachLosersReasons() throws Exception {
        JsonNode shown = browse("market");

        List<Explanation> cards = Explainer.explain(golden).explanations().stream()
                .filter(e -> e.score() != null)
                .toList();
        assertThat(shown.path("cards")).hasSize(2);
        JsonNode auction = shown.path("cards").get(0);
        ScoreCard expected = cards.getFirst().score();
        assertThat(auction.path("kind").asText()).isEqualTo("AUCTION");
        assertThat(auction.path("winner").asText()).isEqualTo("ann").isEqualTo(expected.winner());
        assertThat(auction.path("margin").asText()).isEqualTo("1 over ben");
        assertThat(auction.path("price").asText()).isEqualTo("4");
        assertThat(auction.path("formula").asText()).contains("pays the second-highest admitted bid");
        Map<String, String> losers = new LinkedHashMap<>();
        auction.path("losers")
                .forEach(
                        l -> losers.put(l.path("agent").asText(), l.path("text").asText()));
        assertThat(losers).containsOnlyKeys("ben", "cat");
        assertThat(losers.get("ben"))
                .isEqualTo("ben lost: " + expected.option("ben").outcome())
                .isEqualTo("ben lost: bid 4 against ann's 5: lower by 1");
        assertThat(losers.get("cat")).isEqualTo("cat lost: bid 2 against ann's 5: lower by 3");

        JsonNode vote = shown.path("cards").get(1);
        assertThat(vote.path("kind").asText()).isEqualTo("VOTE");
        assertThat(vote.path("winner").asText()).isEqualTo("ann");
        assertThat(vote.path("formula").asText()).contains("majority");
        Map<String, String> ballots = new LinkedHashMap<>();
        for (JsonNode row : vote.path("matrix")) {
            for (JsonNode cell : row.path("votes")) {
                if (!cell.path("cell").asText().isEmpty()) {
                    ballots.put(row.path("voter").asText(), cell.path("option").asText());
                }
            }
        }
        assertThat(ballots).containsExactly(Map.entry("ann", "ann"), Map.entry("ben", "ann"), Map.entry("cat", "ben"));
        assertThat(texts(vote.path("tally"))).containsExactly("2", "1");
        assertThat(vote.path("losers").get(0).path("text").asText())
                .isEqualTo("ben lost: tally 1 against ann's 2: lower by 1");
    }

    @Test
    @DisplayName("the diff view headlines the known divergence: at the auction, ben won instead of ann")
    void diff_namesTheKnownDivergence() throws Exception {
        JsonNode shown = browse("diff");

        int auction = seqOf(golden, "auction");
        assertThat(seqOf(variant, "auction")).isEqualTo(auction);
        RunDiff diff = RunDiff.of(golden, variant);
        assertThat(shown.path("headline").asText())
                .isEqualTo(diff.divergence().headline())
                .isEqualTo("event " + auction + ": ben won instead of ann (auction by vickrey)");
        assertThat(shown.path("seq").asInt()).isEqualTo(auction);
        assertThat(shown.path("divergingRow").asText())
                .contains("auction (vickrey): ann")
                .contains("auction (vickrey): ben");
        assertThat(objects(shown.path("deltas"), d -> d.path("agent").asText())).containsExactly("ann", "ben", "cat");
        // Latency per agent, from the journals' times: as troupe-explain's diff has it, and as long as the desk's
        // model made the calls take at least.
        List<String> latencies = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RunDiff.AgentDelta agent = diff.agents().get(i);
            JsonNode cells = shown.path("deltas").get(i).path("cells");
            latencies.add(cells.get(6).asText() + " | " + cells.get(7).asText());
            double left = agent.leftLatency().toNanos() / 1e9;
            double right = agent.rightLatency().toNanos() / 1e9;
            double change = Math.round((right - left) * 1000) / 1000.0;
            expected.add(
                    jsSeconds(left) + " → " + jsSeconds(right) + " | " + (change > 0 ? "+" : "") + jsSeconds(change));
        }
        assertThat(latencies).isEqualTo(expected);
        assertThat(diff.agents().get(1).leftLatency())
                .as("each of ben's golden calls takes 2 s at least")
                .isGreaterThanOrEqualTo(DeskModel.GOLDEN_LATENCY.get("ben").multipliedBy(calls(golden, "ben")));
    }

    /** Seconds from the first event to event {@code index} (0-based), in the browser's millisecond precision. */
    private static double elapsed(Transcript transcript, int index) {
        return (transcript.times().get(index).toEpochMilli()
                        - transcript.times().getFirst().toEpochMilli())
                / 1000.0;
    }

    /** How many model calls {@code agent} made. */
    private static int calls(Transcript transcript, String agent) {
        return (int) transcript.events().stream()
                .filter(e ->
                        e instanceof JournalEvent.LlmRequested r && r.agentId().equals(agent))
                .count();
    }

    /** Seconds as the console writes them (model.js {@code seconds}): rounded to hundredths, no trailing zeros. */
    private static String jsSeconds(double seconds) {
        assertThat(Math.abs(seconds))
                .as("the desk's latencies stay under a minute")
                .isLessThan(60);
        double rounded = Math.round(seconds * 100) / 100.0;
        String text = Double.toString(rounded);
        return (text.endsWith(".0") ? text.substring(0, text.length() - 2) : text) + " s";
    }

    @Test
    @DisplayName("the timeline is shaped like the OTel spans, and the budget view charts what is left and who spent it")
    void timelineAndBudget_followTheJournal() throws Exception {
        JsonNode shown = browse("views");

        long chats = golden.events().stream()
                .filter(JournalEvent.LlmRequested.class::isInstance)
                .count();
        long turns = golden.events().stream()
                .filter(JournalEvent.TurnStarted.class::isInstance)
                .count();
        List<String> names = objects(shown.path("spans"), s -> s.path("name").asText());
        assertThat(names.getFirst()).isEqualTo("invoke_agent desk");
        assertThat(names.stream().filter("chat desk"::equals).count()).isEqualTo(chats);
        assertThat(names.stream()
                        .filter(n -> n.startsWith("invoke_agent ") && !n.equals("invoke_agent desk"))
                        .count())
                .isEqualTo(turns);
        // Bars stand at the journal's times: each model call lasts at least what the desk's model made it take.
        assertThat(shown.path("timelineAxis").asText()).isEqualTo("time");
        List<Double> chatTimes = new ArrayList<>();
        shown.path("spans").forEach(span -> {
            if (span.path("kind").asText().equals("chat")) {
                chatTimes.add(span.path("took").asDouble());
            }
        });
        assertThat(chatTimes)
                .hasSize((int) chats)
                .allSatisfy(took -> assertThat(took).isGreaterThanOrEqualTo(0.499));
        JsonNode budget = shown.path("budget");
        assertThat(budget.path("charts").asInt()).isEqualTo(2);
        BigDecimal left = new BigDecimal("10.00").subtract(golden.usage().cost());
        assertThat(budget.path("costLeft").asText()).contains("$" + plain(left));
        assertThat(objects(budget.path("spend"), s -> s.path("agent").asText())).containsExactly("ann", "ben", "cat");
        assertThat(budget.path("charges").get(0).path("seq").asInt()).isEqualTo(seqOf(golden, "auction"));
        assertThat(budget.path("charges").get(0).path("text").asText())
                .contains("ann: $4")
                .contains("payment to @team");
        // The charts run over the run's time, as the journal recorded it.
        assertThat(texts(budget.path("axes"))).containsExactly("time", "time");
        assertThat(budget.path("axisLabel").asText()).isEqualTo("seconds since the run started");
        int last = golden.events().size() - 1;
        assertThat(budget.path("elapsed").asText())
                .isEqualTo("at " + jsSeconds(elapsed(golden, last)) + " into the run");
        int auction = seqOf(golden, "auction");
        assertThat(budget.path("elapsedAtAuction").asText())
                .isEqualTo("at " + jsSeconds(elapsed(golden, auction - 1)) + " into the run");
        assertThat(golden.between(0, auction - 1).orElseThrow())
                .as("the three bids came before the auction")
                .isGreaterThanOrEqualTo(Duration.ofMillis(3500));
    }

    @Test
    @DisplayName("a pending approval is approved from the console, and the run goes on to its end")
    void approvals_areDecidedFromTheConsole() throws Exception {
        JsonNode shown = browse("approvals");

        assertThat(shown.path("approval").asText()).contains("publishing needs a person");
        Transcript journal = transcript(server.node().attach(held));
        assertThat(journal.events())
                .filteredOn(JournalEvent.ApprovalDecided.class::isInstance)
                .singleElement()
                .satisfies(e -> {
                    JournalEvent.ApprovalDecided decided = (JournalEvent.ApprovalDecided) e;
                    assertThat(decided.approved()).isTrue();
                    assertThat(decided.by()).isEqualTo("console");
                });
        assertThat(shown.path("approvedBadges").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("a pending approval is denied from the console: the held message is blocked, the run goes on to its"
            + " end, and the journal shows the denial")
    void approvals_areDeniedFromTheConsole() throws Exception {
        JsonNode shown = browse("deny");

        assertThat(shown.path("approval").asText()).contains("publishing needs a person");
        Transcript journal = transcript(server.node().attach(denied));
        List<JournalEvent> events = journal.events();
        int decidedAt = -1;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof JournalEvent.ApprovalDecided decided) {
                assertThat(decidedAt).as("one decision").isEqualTo(-1);
                decidedAt = i;
                assertThat(decided.approved()).isFalse();
                assertThat(decided.by()).isEqualTo("console");
            }
        }
        assertThat(decidedAt).as("the journal holds the denial").isPositive();
        // The held answer ("please approve") was never sent: the denial blocked it, and the run went on to its end.
        assertThat(journal.messages()).noneMatch(m -> m.body().contains("please approve"));
        assertThat(events.getLast()).isInstanceOf(JournalEvent.RunFinished.class);
        assertThat(journal.outcome()).isPresent();
        assertThat(shown.path("deniedBadges")).hasSize(1);
        assertThat(shown.path("deniedBadges").get(0).path("seq").asInt()).isEqualTo(decidedAt + 1);
        assertThat(shown.path("deniedBadges").get(0).path("label").asText()).contains("denied by console");
        assertThat(shown.path("pendingAfter").asInt()).isZero();
        assertThat(shown.path("title").asText()).contains("ended");
        System.out.println("[console-e2e] denied run ended: "
                + journal.outcome().orElseThrow().describe());
    }

    @Test
    @DisplayName("a step change on a run of 10,000 events renders in the browser (figures printed)")
    void stepChange_onTenThousandEvents_isMeasured() throws Exception {
        assertThat(perf.events().size()).isGreaterThanOrEqualTo(10_000);

        JsonNode shown = browse("perf", Map.of("perfEvents", perf.events().size()));

        double[] total = values(shown.path("samples"), "total");
        double[] sequence = values(shown.path("samples"), "sequence");
        double[] request = values(shown.path("samples"), "request");
        String load = Files.readString(Path.of("/proc/loadavg")).strip();
        assertThat(total).hasSize(40);
        String figures = String.format(
                "Console step change on %,d events (%d samples): to the sequence view's cursor and the inspector"
                        + " median %.1f ms, p95 %.1f ms; with the state from the API median %.1f ms, p95 %.1f ms, max"
                        + " %.1f ms (the state's request alone median %.1f ms); first load %,d ms; load average %s%n",
                perf.events().size(),
                total.length,
                percentile(sequence, 50),
                percentile(sequence, 95),
                percentile(total, 50),
                percentile(total, 95),
                percentile(total, 100),
                percentile(request, 50),
                shown.path("loadMillis").asLong(),
                load);
        System.out.print(figures);
        Files.writeString(OUT.resolve("perf-figures.txt"), figures);
    }

    // --- running the browser ---

    private static JsonNode browse(String scenario) throws Exception {
        return browse(scenario, Map.of());
    }

    private static JsonNode browse(String scenario, Map<String, Object> extra) throws Exception {
        Files.createDirectories(OUT);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("base", server.uri().toString());
        config.put("golden", golden.conversationId());
        config.put("variant", variant.conversationId());
        config.put("held", held);
        config.put("denied", denied);
        config.put("auctionSeq", seqOf(golden, "auction"));
        config.put("perf", perf.conversationId());
        config.put("control", "http://127.0.0.1:" + control.getAddress().getPort());
        config.put("out", OUT.toAbsolutePath().toString());
        config.putAll(extra);
        Path log = OUT.resolve(scenario + ".log");
        ProcessBuilder browser = new ProcessBuilder("node", "console.e2e.mjs", scenario)
                .directory(E2E.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        browser.environment().put("E2E_CONFIG", JSON.writeValueAsString(config));
        Process node = browser.start();
        node.getOutputStream().close();
        if (!node.waitFor(5, TimeUnit.MINUTES)) {
            node.destroyForcibly();
            fail("the browser script '" + scenario + "' did not finish in 5 minutes; see " + log.toAbsolutePath());
        }
        Path result = OUT.resolve(scenario + ".json");
        if (!Files.exists(result)) {
            fail("the browser script '" + scenario + "' wrote no result:\n" + Files.readString(log));
        }
        JsonNode shown = JSON.readTree(result.toFile());
        assertThat(shown.path("failure").asText(""))
                .as("the browser script '%s' failed (log: %s)", scenario, log.toAbsolutePath())
                .isEmpty();
        assertThat(texts(shown.path("pageErrors"))).as("page errors").isEmpty();
        assertThat(texts(shown.path("consoleErrors"))).as("console errors").isEmpty();
        assertThat(texts(shown.path("failedRequests"))).as("failed requests").isEmpty();
        assertThat(OUT.resolve(
                        scenario.equals("views")
                                ? "timeline.png"
                                : scenario.equals("live")
                                        ? "live-ended.png"
                                        : scenario.equals("approvals") ? "approval.png" : scenario + ".png"))
                .exists();
        return shown;
    }

    private static void requireBrowser() {
        if (!Files.isExecutable(Path.of("/usr/bin/chromium"))) {
            fail("ConsoleE2EIT needs Debian's chromium at /usr/bin/chromium: apt-get install chromium (.ci/run does)");
        }
        if (!Files.isDirectory(E2E.resolve("node_modules/playwright-core"))) {
            fail("ConsoleE2EIT needs playwright-core: npm ci --prefix troupe-server/src/test/e2e (.ci/run does)");
        }
    }

    // --- reading the journal ---

    private static Transcript transcript(RunHandle run) throws Exception {
        return server.node().replay(run.conversationId()).toCompletableFuture().get(1, TimeUnit.MINUTES);
    }

    private static int seqOf(Transcript transcript, String kind) {
        for (int i = 0; i < transcript.events().size(); i++) {
            if (transcript.events().get(i) instanceof JournalEvent.DecisionRecorded recorded
                    && recorded.decision().kind().equals(kind)) {
                return i + 1;
            }
        }
        throw new AssertionError("no " + kind + " decision in " + transcript.conversationId());
    }

    private static int blockSeq(Transcript transcript) {
        for (int i = 0; i < transcript.events().size(); i++) {
            if (transcript.events().get(i) instanceof JournalEvent.Intercepted intercepted
                    && intercepted.rulings().stream()
                            .anyMatch(r -> r.verdict() instanceof io.troupe.api.intercept.Verdict.Block)) {
                return i + 1;
            }
        }
        throw new AssertionError("no block in " + transcript.conversationId());
    }

    /** The state panel shows what the API returned for k, and the API returned the fold of the journal at k. */
    private static void assertShows(JsonNode shown, JsonNode api, RunState state) {
        assertThat(api.path("seq").asInt()).isEqualTo(state.seq());
        assertThat(api.path("status").asText()).isEqualTo(state.status());
        assertThat(api.path("usage").path("cost").decimalValue())
                .isEqualByComparingTo(state.usage().cost());
        assertThat(shown.path("seq").asInt()).isEqualTo(state.seq());
        assertThat(shown.path("status").asText()).isEqualTo(api.path("status").asText());
        assertThat(shown.path("cost").asText())
                .isEqualTo("$" + plain(api.path("usage").path("cost").decimalValue()));
        assertThat(shown.path("tokens").asText())
                .isEqualTo(Long.toString(api.path("usage").path("inputTokens").asLong()
                        + api.path("usage").path("outputTokens").asLong()));
        assertThat(shown.path("turns").asText())
                .isEqualTo(api.path("turns").asInt() + " of " + state.budget().maxTurns());
        assertThat(shown.path("messages").asText())
                .isEqualTo(api.path("messages").asText());
        assertThat(shown.path("decisions").asText())
                .isEqualTo(api.path("decisions").asText());
        assertThat(shown.path("blocked").asText()).isEqualTo(api.path("blocked").asText());
        assertThat(shown.path("pending").asText())
                .isEqualTo(Integer.toString(api.path("pending").size()));
        if (!api.path("lastDecision").isNull()) {
            assertThat(shown.path("lastDecision").asText())
                    .isEqualTo(api.path("lastDecision").asText());
        }
        for (Map.Entry<String, RunState.AgentState> agent : state.agents().entrySet()) {
            JsonNode row = shown.path("agents").path(agent.getKey());
            assertThat(row.path("activity").asText())
                    .as(agent.getKey())
                    .isEqualTo(agent.getValue().activity());
            assertThat(row.path("calls").asText()).isEqualTo(agent.getValue().modelCalls() + " calls");
            assertThat(row.path("cost").asText())
                    .isEqualTo("$" + plain(agent.getValue().usage().cost()));
        }
    }

    // --- small helpers ---

    /** A number as the console writes money: at most four decimals, no trailing zeros. */
    private static String plain(BigDecimal value) {
        return value.setScale(4, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    private static List<String> objects(JsonNode array, java.util.function.Function<JsonNode, String> describe) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(describe.apply(node)));
        return texts;
    }

    private static double[] values(JsonNode samples, String field) {
        double[] values = new double[samples.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = samples.get(i).path(field).asDouble();
        }
        return values;
    }

    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}

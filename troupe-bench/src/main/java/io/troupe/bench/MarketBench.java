package io.troupe.bench;

import com.sun.management.OperatingSystemMXBean;
import io.troupe.api.agent.AgentSpec;
import io.troupe.api.budget.Budget;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.Usage;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.Transcript;
import io.troupe.api.run.Troupe;
import io.troupe.api.team.DecisionRecord;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.Member;
import io.troupe.api.team.TeamSpec;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One contract-net round with many bidders on a model that answers after a fixed latency: a CFP to every bidder,
 * their bids in parallel, the award, and the winner's work. The ideal wall time is two model latencies (the bids,
 * then the contractor's answer), however many bidders there are; the figure is how close the runtime gets, and the
 * process CPU the round costs.
 *
 * <p>Arguments: {@code [journal memory|h2] [bidders] [latency ms] [rounds]}; defaults {@code memory 100 200 5}. The
 * first two rounds warm up; the median of the rest is reported.
 */
public final class MarketBench {
    private static final Pattern BIDDER = Pattern.compile("bidder (\\d+)");

    private MarketBench() {}

    public static void main(String[] args) throws Exception {
        JournalKind journal = JournalKind.parse(args.length > 0 ? args[0] : "memory");
        int bidders = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        Duration latency = Duration.ofMillis(args.length > 2 ? Long.parseLong(args[2]) : 200);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        TeamSpec team = team(bidders);
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bench-model-timer").factory());
        List<double[]> measured = new ArrayList<>();
        try (JournalKind.Started started = journal.start(model(latency, timer))) {
            Troupe troupe = started.troupe();
            for (int round = 1; round <= rounds; round++) {
                long cpuBefore = os.getProcessCpuTime();
                long wallBefore = System.nanoTime();
                var handle = troupe.run(team, "Translate the menu into Norwegian");
                Outcome outcome = handle.outcome().toCompletableFuture().get(2, TimeUnit.MINUTES);
                double wallMillis = (System.nanoTime() - wallBefore) / 1e6;
                double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
                if (!(outcome instanceof Outcome.Completed)) {
                    throw new IllegalStateException("the contract-net round did not complete: " + outcome.describe());
                }
                Transcript transcript = troupe.replay(handle.conversationId())
                        .toCompletableFuture()
                        .get(1, TimeUnit.MINUTES);
                DecisionRecord award = transcript.decisions().stream()
                        .filter(d -> d.kind().equals("award"))
                        .findFirst()
                        .orElseThrow();
                long bids = award.options().stream()
                        .filter(o -> o.excluded() == null)
                        .count();
                if (bids != bidders || !"b0".equals(award.chosen())) {
                    throw new IllegalStateException(
                            "expected " + bidders + " valid bids won by b0, got " + bids + " won by " + award.chosen());
                }
                Figures.info(String.format(
                        "%s round %d/%d: %d bidders, wall %.0f ms (ideal %d ms), CPU %.0f ms",
                        journal.label(), round, rounds, bidders, wallMillis, 2 * latency.toMillis(), cpuMillis));
                if (round > 2) {
                    measured.add(new double[] {wallMillis, cpuMillis});
                }
            }
        } finally {
            timer.shutdownNow();
        }
        measured.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] median = measured.get(measured.size() / 2);
        String label = "contract-net, " + bidders + " bidders, " + latency.toMillis() + " ms model, " + journal.label();
        Figures.print(
                label + ", wall",
                median[0],
                "ms",
                String.format(
                        "ideal %d ms (2 latencies); %.2f latencies",
                        2 * latency.toMillis(), median[0] / latency.toMillis()));
        Figures.print(label + ", CPU", median[1], "ms", String.format("%.2f ms per bidder", median[1] / bidders));
    }

    /** {@code bidders} agents of role "bidder", b0 … bN; b0 bids lowest. */
    static TeamSpec team(int bidders) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < bidders; i++) {
            members.add(Member.of(AgentSpec.builder("b" + i)
                    .role("bidder")
                    .model(BenchTeams.MODEL)
                    .instructions("You are bidder " + i + ".")
                    .build()));
        }
        return new TeamSpec(
                "market",
                members,
                new MechanismSpec.ContractNet(
                        MechanismSpec.Eligibility.role("bidder"),
                        MechanismSpec.Scoring.LOWEST_COST,
                        null,
                        Duration.ofSeconds(30),
                        MechanismSpec.OnFailure.NEXT_BEST,
                        3,
                        null),
                Budget.DEFAULT.withMaxTurns(bidders + 10).withMaxTokens(10_000_000));
    }

    /**
     * Answers after {@code latency} without blocking a thread: a bid (cost 10 + the bidder's number) when asked for
     * one, and the work otherwise.
     */
    private static LanguageModel model(Duration latency, ScheduledExecutorService timer) {
        long nanos = latency.toNanos();
        return (request, tokens) -> {
            String system = request.messages().getFirst() instanceof ChatMessage.System s ? s.text() : "";
            Matcher bidder = BIDDER.matcher(system);
            int number = bidder.find() ? Integer.parseInt(bidder.group(1)) : 0;
            ModelResponse response = request.responseSchema() != null
                    ? ModelResponse.text(
                            "{\"cost\":" + (10 + number)
                                    + ",\"eta\":\"1h\",\"confidence\":0.9,\"rationale\":\"fluent\"}",
                            Usage.of(40, 20))
                    : ModelResponse.text("Menyen er oversatt.", Usage.of(40, 5));
            CompletableFuture<ModelResponse> answer = new CompletableFuture<>();
            timer.schedule(() -> answer.complete(response), nanos, TimeUnit.NANOSECONDS);
            return answer;
        };
    }
}

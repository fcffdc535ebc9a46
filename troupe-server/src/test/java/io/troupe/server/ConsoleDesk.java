package io.troupe.server;

import io.troupe.api.agent.AgentSpec;
import io.troupe.api.agent.MemoryPolicy;
import io.troupe.api.budget.Budget;
import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.run.Outcome;
import io.troupe.api.run.RunHandle;
import io.troupe.api.team.MechanismSpec;
import io.troupe.api.team.TeamSpec;
import io.troupe.runtime.Journal;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The console's test desk: three translators (ann, ben, cat) on a {@link DeskModel}, an {@link AuctionThenVote} team
 * for the golden journal (an auction of three bids, a majority vote, a guardrail that blocks cat's e-mail address,
 * budget charges on every call and the auction's payment), its variant that diverges at the auction, and a {@link
 * Relay} team for long runs.
 */
final class ConsoleDesk {
    static final List<String> AGENTS = List.of("ann", "ben", "cat");
    static final Budget BUDGET = new Budget(50_000, new BigDecimal("10.00"), 5_000, Duration.ofMinutes(30));
    static final Budget LONG_BUDGET = new Budget(10_000_000, new BigDecimal("1000"), 10_000, Duration.ofMinutes(30));

    final DeskModel.DeskClock clock = new DeskModel.DeskClock();
    final DeskModel model = new DeskModel(clock);

    /** A server on loopback with the desk's model, mechanisms and guardrail, on an in-memory journal. */
    TroupeServer start() {
        return builder().start();
    }

    /** The builder of {@link #start()}, for more settings. */
    TroupeServer.Builder builder() {
        return TroupeServer.builder()
                .port(0)
                .journal(Journal.inMemory())
                .runtime(runtime -> runtime.clock(clock)
                        .model("desk", model)
                        .mechanism(AuctionThenVote.NAME, custom -> new AuctionThenVote(AGENTS))
                        .mechanism(
                                Relay.NAME,
                                custom -> new Relay(
                                        AGENTS, Integer.parseInt(custom.params().get("turns"))))
                        .interceptor("email", new EmailGuard())
                        .repetitionLimit(100_000));
    }

    /** The golden team: the auction, then the vote. */
    static TeamSpec desk() {
        return team(new MechanismSpec.Custom(AuctionThenVote.NAME, Map.of(), AGENTS), MemoryPolicy.DEFAULT, BUDGET);
    }

    /** A team that relays {@code turns} requests around the three agents, who remember nothing. */
    static TeamSpec relay(int turns) {
        return team(
                new MechanismSpec.Custom(Relay.NAME, Map.of("turns", Integer.toString(turns)), AGENTS),
                MemoryPolicy.NONE,
                LONG_BUDGET);
    }

    private static TeamSpec team(MechanismSpec mechanism, MemoryPolicy memory, Budget budget) {
        TeamSpec.Builder team = TeamSpec.builder("desk");
        for (String agent : AGENTS) {
            team.member(AgentSpec.builder(agent)
                    .model("desk")
                    .role("translator")
                    .memory(memory)
                    .instructions("You are " + agent + ", a translator.")
                    .build());
        }
        return team.mechanism(mechanism).budget(budget).build();
    }

    /** Runs {@code team} on {@code task} to its end. */
    static RunHandle runToEnd(TroupeServer server, TeamSpec team, String task) throws Exception {
        RunHandle run = server.node().run(team, task);
        Outcome outcome = run.outcome().toCompletableFuture().get(3, TimeUnit.MINUTES);
        if (!(outcome instanceof Outcome.Completed)) {
            throw new AssertionError("the desk's run did not complete: " + outcome.describe());
        }
        return run;
    }

    /**
     * Blocks outgoing messages that hold an e-mail address at example.com (the golden journal's guardrail block), and
     * holds those that ask to be approved for a person.
     */
    static final class EmailGuard implements Interceptor {
        @Override
        public Verdict intercept(Interception interception) {
            if (!(interception.subject() instanceof Interception.Subject.Outgoing outgoing)) {
                return Verdict.proceed();
            }
            String body = outgoing.message().body();
            if (body.contains("@example.com")) {
                return Verdict.block("an e-mail address (PII) in an outgoing message");
            }
            return body.contains("please approve") ? Verdict.askHuman("publishing needs a person") : Verdict.proceed();
        }

        @Override
        public Set<Point> points() {
            return Set.of(Point.OUTGOING);
        }
    }
}

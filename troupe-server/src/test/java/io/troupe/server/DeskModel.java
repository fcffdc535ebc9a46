package io.troupe.server;

import io.troupe.api.model.LanguageModel;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.model.ModelResponse;
import io.troupe.api.model.TokenSink;
import io.troupe.api.model.Usage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The model of the console's test desk: it answers as each agent (named in its instructions, "You are ann.") would
 * in {@link AuctionThenVote}: a bid to a sealed-bid CFP, the work to an ACCEPT, an answer to a debate round and a
 * ballot to a vote. A task that starts with {@code LIVE} makes every call wait for a permit of {@link #gate}, so that
 * a test can let a run grow one answer at a time. Every call costs its agent's price, so budgets are charged.
 */
final class DeskModel implements LanguageModel {
    /** Bids per agent for the golden run; ann wins, ben is the runner-up, cat bids lowest. */
    static final Map<String, String> GOLDEN_BIDS = Map.of("ann", "5", "ben", "4", "cat", "2");
    /** Bids of the variant: ann bids less than ben, so that ben wins the auction instead. */
    static final Map<String, String> VARIANT_BIDS = Map.of("ann", "3", "ben", "4", "cat", "2");

    private static final Map<String, String> PRICES = Map.of("ann", "0.012", "ben", "0.009", "cat", "0.004");

    /**
     * How long each agent's calls take on the desk's clock (golden runs, then variant runs): the model moves {@link
     * #clock} on by that much as it answers, so that the journal's times, and the latencies the console shows, are
     * known. Calls of relays and live runs take no time.
     */
    static final Map<String, Duration> GOLDEN_LATENCY =
            Map.of("ann", Duration.ofMillis(1000), "ben", Duration.ofMillis(2000), "cat", Duration.ofMillis(500));

    static final Map<String, Duration> VARIANT_LATENCY =
            Map.of("ann", Duration.ofMillis(1500), "ben", Duration.ofMillis(2000), "cat", Duration.ofMillis(250));

    private final Semaphore gate = new Semaphore(0);
    private final DeskClock clock;

    DeskModel(DeskClock clock) {
        this.clock = clock;
    }

    /** The system clock, moved on by the time the desk's calls take. Thread-safe. */
    static final class DeskClock extends Clock {
        private final AtomicLong skewNanos = new AtomicLong();

        void advance(Duration by) {
            skewNanos.addAndGet(by.toNanos());
        }

        /** The total time the desk's calls have taken. */
        Duration skew() {
            return Duration.ofNanos(skewNanos.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plusNanos(skewNanos.get());
        }
    }

    /** Lets {@code calls} held calls of live runs answer. */
    void release(int calls) {
        gate.release(calls);
    }

    @Override
    public CompletionStage<ModelResponse> generate(ModelRequest request, TokenSink tokens) {
        String agent = agent(request.systemText());
        String user = request.lastUserText();
        String text = answer(agent, user);
        Usage usage = new Usage(
                80 + user.length() / 8, 12 + text.length() / 6, new BigDecimal(PRICES.getOrDefault(agent, "0.001")));
        ModelResponse response = ModelResponse.text(text, usage);
        if (!request.systemText().contains("Live run") && !user.contains("LIVE")) {
            if (!user.startsWith("Relay ") && !user.contains("APPROVAL")) {
                Map<String, Duration> latency = user.contains("VARIANT") ? VARIANT_LATENCY : GOLDEN_LATENCY;
                clock.advance(latency.getOrDefault(agent, Duration.ZERO));
            }
            return CompletableFuture.completedFuture(response);
        }
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        if (!gate.tryAcquire(3, TimeUnit.MINUTES)) {
                            throw new IllegalStateException("the test never released this live call");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                    return response;
                },
                Executors.newVirtualThreadPerTaskExecutor());
    }

    private static String answer(String agent, String user) {
        if (user.contains("Sealed-bid")) {
            Map<String, String> bids = user.contains("VARIANT") ? VARIANT_BIDS : GOLDEN_BIDS;
            return "{\"amount\":" + bids.getOrDefault(agent, "1") + ",\"rationale\":\"" + agent
                    + " knows this manual\"}";
        }
        if (user.contains("Vote in this debate")) {
            String vote = agent.equals("cat") ? "ben" : "ann";
            return "{\"vote\":\"" + vote + "\",\"reason\":\"" + vote + "'s answer is clearer\"}";
        }
        if (user.contains("Debate round")) {
            return switch (agent) {
                case "ann" -> "Translate the manual chapter by chapter, glossary first.";
                case "ben" -> "Translate the whole manual at once, then review it.";
                default -> "Send it to me at cat@example.com and I will do it.";
            };
        }
        if (user.startsWith("Relay ")) {
            return agent + " passes " + user.substring(6);
        }
        String work = agent + " translated the manual: 42 pages, glossary attached.";
        return user.contains("APPROVAL") ? work + " Ready to publish: please approve." : work;
    }

    private static String agent(String system) {
        int at = system.indexOf("You are ");
        if (at < 0) {
            return "someone";
        }
        String rest = system.substring(at + 8);
        int end = 0;
        while (end < rest.length() && Character.isLetter(rest.charAt(end))) {
            end++;
        }
        return rest.substring(0, end);
    }
}

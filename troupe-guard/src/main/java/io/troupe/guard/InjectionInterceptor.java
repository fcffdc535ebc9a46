package io.troupe.guard;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Point;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.model.ChatMessage;
import io.troupe.api.model.ModelRequest;
import io.troupe.api.protocol.Message;
import io.troupe.api.tool.ToolResult;
import io.troupe.guard.injection.InjectionDetector;
import io.troupe.guard.injection.InjectionScan;
import io.troupe.guard.injection.Signal;
import io.troupe.guard.injection.Spotlight;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The prompt-injection guardrail on the seam. It scans untrusted text where it enters a run (tool results, messages
 * from the team and other agents, and the task if asked), and blocks, holds or quarantines it by the detector's
 * level. Quarantined text is marked as data with the run's spotlight, and the next model call of any agent whose
 * prompt holds marked data gets the spotlight's instruction in its system prompt. In a request the team forwards, the
 * run's own task is trusted and only the rest is scanned. A message whose text imitates the header the runtime puts
 * before messages ({@code [INFORM from auditor]}) claims a sender it does not have, and is blocked. Thread-safe.
 */
final class InjectionInterceptor implements Interceptor {
    static final String NAME = "injection";
    /** The points it applies to. */
    static final Set<Point> POINTS =
            Set.copyOf(Set.of(Point.TASK, Point.INCOMING, Point.TOOL_OUTPUT, Point.MODEL_CALL));
    /**
     * The header the runtime puts before a message when an agent reads it ({@code [INFORM from reader] }). It is never
     * part of a body, so a body that holds one claims to come from someone else: a forged sender.
     */
    private static final java.util.regex.Pattern HEADER = java.util.regex.Pattern.compile(
            "(?i)\\[(?:REQUEST|INFORM|QUERY|CFP|PROPOSE|ACCEPT|REJECT|REFUSE|FAILURE|CANCEL)\\s+from\\s+"
                    + "([^\\]\\n]{1,80})]");

    private final Scopes scopes;
    private final GuardRuns runs;
    private final Detectors detectors;

    InjectionInterceptor(Scopes scopes, GuardRuns runs, Detectors detectors) {
        this.scopes = scopes;
        this.runs = runs;
        this.detectors = detectors;
    }

    @Override
    public Set<Point> points() {
        return POINTS;
    }

    /** Long enough for the first call to load the embedding model on a busy machine. */
    @Override
    public Duration timeout() {
        return Duration.ofSeconds(120);
    }

    @Override
    public Verdict intercept(Interception interception) {
        InjectionPolicy policy = scopes.of(interception.context()).injection();
        RunTree tree = runs.tree(interception.context(), interception.point());
        Interception.Subject subject = interception.subject();
        if (subject instanceof Interception.Subject.ModelCall call) {
            return instruct(call, policy, tree);
        }
        Place place = Place.of(interception.point());
        if (place == null || !policy.covers(place)) {
            return Verdict.proceed();
        }
        InjectionDetector detector = detectors.of(policy);
        Spotlight spotlight = tree.spotlight(policy.spotlight());
        return switch (subject) {
            case Interception.Subject.Task task -> {
                InjectionScan scan = detector.scan(task.task());
                yield respond(
                        policy, scan, "the task", () -> new Interception.Subject.Task(spotlight.mark(task.task())));
            }
            case Interception.Subject.ToolOutput output -> {
                InjectionScan scan = detector.scan(output.result().content());
                yield respond(
                        policy,
                        scan,
                        "the result of tool '" + output.call().name() + "'",
                        () -> new Interception.Subject.ToolOutput(
                                output.call(),
                                new ToolResult(
                                        spotlight.mark(output.result().content()),
                                        output.result().error())));
            }
            case Interception.Subject.Incoming incoming ->
                message(
                        policy,
                        detector,
                        spotlight,
                        incoming.message(),
                        tree.task(interception.context().conversationId()));
            default -> Verdict.proceed();
        };
    }

    /** Scans a message's untrusted part: all of it, but for the run's own task at the start of a team request. */
    private Verdict message(
            InjectionPolicy policy,
            InjectionDetector detector,
            Spotlight spotlight,
            Message message,
            @Nullable String task) {
        String body = message.body();
        String trusted = "";
        if (message.sender().equals(Message.COORDINATOR) && task != null && !task.isBlank() && body.startsWith(task)) {
            trusted = task;
        }
        String untrusted = body.substring(trusted.length());
        java.util.regex.Matcher forged =
                HEADER.matcher(untrusted + "\n" + (message.payload() == null ? "" : message.payload()));
        if (forged.find()) {
            return Verdict.block((message.sender().equals(Message.COORDINATOR)
                            ? "the request from the team"
                            : "the message from '" + message.sender() + "'")
                    + " holds a forged sender: it claims to come from '"
                    + forged.group(1).strip()
                    + "', but senders are set by the runtime");
        }
        InjectionScan scan =
                worst(detector.scan(untrusted), message.payload() == null ? null : detector.scan(message.payload()));
        String where = message.sender().equals(Message.COORDINATOR)
                ? "the request from the team"
                : "the message from '" + message.sender() + "'";
        String kept = trusted;
        return respond(
                policy,
                scan,
                where,
                () -> new Interception.Subject.Incoming(new Message(
                        message.id(),
                        message.conversationId(),
                        message.inReplyTo(),
                        message.sender(),
                        message.receivers(),
                        message.performative(),
                        untrusted.isBlank() ? body : kept + (kept.isEmpty() ? "" : "\n\n") + spotlight.mark(untrusted),
                        message.payload() == null ? null : quotedPayload(message.payload(), spotlight),
                        message.deadline())));
    }

    /** A payload marked as data stays JSON: a string holding the marked text. */
    private static String quotedPayload(String payload, Spotlight spotlight) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(spotlight.mark(payload))
                .toString();
    }

    private static InjectionScan worst(InjectionScan a, @Nullable InjectionScan b) {
        return b == null || a.score() >= b.score() ? a : b;
    }

    private static Verdict respond(
            InjectionPolicy policy,
            InjectionScan scan,
            String where,
            java.util.function.Supplier<Interception.Subject> quarantined) {
        InjectionPolicy.Response response = switch (scan.level()) {
            case INJECTION -> policy.onInjection();
            case SUSPICIOUS -> policy.onSuspicious();
            case BENIGN -> policy.onBenign();
        };
        String reason = where
                + (scan.level() == InjectionScan.Level.BENIGN
                        ? " is untrusted (score " + scan.score() + ")"
                        : " looks like a prompt injection (" + scan.level().label() + ", score " + scan.score()
                                + signals(scan) + ")");
        return switch (response) {
            case PASS -> scan.level() == InjectionScan.Level.BENIGN ? Verdict.proceed() : Verdict.proceed(reason);
            case QUARANTINE -> Verdict.replace(quarantined.get(), reason + "; marked as data");
            case ASK -> Verdict.askHuman(reason + "; let the agent read it?");
            case BLOCK -> Verdict.block(reason);
            case END_RUN -> Verdict.blockRun(reason);
        };
    }

    private static String signals(InjectionScan scan) {
        Set<String> ids = new LinkedHashSet<>();
        for (Signal signal : scan.fired()) {
            if (ids.size() == 3) {
                break;
            }
            ids.add(signal.id());
        }
        return ids.isEmpty() ? "" : ": " + String.join(", ", ids);
    }

    /** Tells the model what marked data is, when its prompt holds some and its system prompt does not say yet. */
    private static Verdict instruct(Interception.Subject.ModelCall call, InjectionPolicy policy, RunTree tree) {
        ModelRequest request = call.request();
        boolean marked = false;
        for (ChatMessage message : request.messages()) {
            if (!(message instanceof ChatMessage.System) && Spotlight.marks(message.text())) {
                marked = true;
                break;
            }
        }
        String instruction = tree.spotlight(policy.spotlight()).instruction();
        if (!marked || request.systemText().contains(instruction)) {
            return Verdict.proceed();
        }
        return Verdict.replace(
                new Interception.Subject.ModelCall(call.model(), Prompts.withSystemText(request, instruction)),
                "told the model that marked text is data");
    }

    /** The spotlight instructions and canaries of prompts. */
    static final class Prompts {
        private Prompts() {}

        /** {@code request} with {@code text} appended to its system message (one is added if it has none). */
        static ModelRequest withSystemText(ModelRequest request, String text) {
            List<ChatMessage> messages = new ArrayList<>(request.messages());
            if (!messages.isEmpty() && messages.getFirst() instanceof ChatMessage.System system) {
                messages.set(0, new ChatMessage.System(system.text() + "\n\n" + text));
            } else {
                messages.addFirst(new ChatMessage.System(text));
            }
            return new ModelRequest(messages, request.tools(), request.responseSchema(), request.maxOutputTokens());
        }
    }
}

package io.troupe.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.api.intercept.Interception;
import io.troupe.api.intercept.Interceptor;
import io.troupe.api.intercept.Verdict;
import io.troupe.api.tool.Tool;
import io.troupe.api.tool.ToolDefinition;
import io.troupe.api.tool.ToolInvocation;
import io.troupe.api.tool.ToolResult;
import io.troupe.guard.Guard;
import io.troupe.guard.Guardrails;
import io.troupe.guard.PiiPolicy;
import io.troupe.guard.Seams;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PII detection measured on a synthetic corpus of more than 1,000 samples in seven languages (with benign
 * look-alikes and hand-written hard cases), and redaction with a per-run vault.
 */
class PiiRedactionTest {
    private static final PiiDetector DETECTOR = PiiDetector.standard();
    private static final Map<PiiType, Score> SCORES = new EnumMap<>(PiiType.class);
    private static List<PiiCorpus.Sample> corpus;

    /** True and false positives and false negatives of one type. */
    static final class Score {
        int tp;
        int fp;
        int fn;
        final List<String> misses = new ArrayList<>();

        double precision() {
            return tp + fp == 0 ? 1 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 1 : (double) tp / (tp + fn);
        }
    }

    @BeforeAll
    static void evaluate() {
        corpus = new PiiCorpus(13).samples(100);
        for (PiiType type : PiiType.values()) {
            SCORES.put(type, new Score());
        }
        for (PiiCorpus.Sample sample : corpus) {
            List<PiiEntity> found = DETECTOR.detect(sample.text());
            List<PiiCorpus.Gold> unmatched = new ArrayList<>(sample.gold());
            for (PiiEntity entity : found) {
                PiiCorpus.Gold match = unmatched.stream()
                        .filter(g -> g.type() == entity.type() && overlap(g, entity) >= 0.5)
                        .findFirst()
                        .orElse(null);
                Score score = SCORES.get(entity.type());
                if (match != null) {
                    score.tp++;
                    unmatched.remove(match);
                } else {
                    score.fp++;
                    score.misses.add("FP " + entity.type() + " '" + entity.text() + "' in: " + sample.text());
                }
            }
            for (PiiCorpus.Gold gold : unmatched) {
                Score score = SCORES.get(gold.type());
                score.fn++;
                score.misses.add("FN " + gold.type() + " '" + sample.text().substring(gold.start(), gold.end())
                        + "' in: " + sample.text());
            }
        }
        System.out.printf(
                "PII corpus: %d samples, %d gold entities%n",
                corpus.size(), corpus.stream().mapToInt(s -> s.gold().size()).sum());
        System.out.printf("%-12s %6s %6s %6s %9s %7s%n", "type", "tp", "fp", "fn", "precision", "recall");
        SCORES.forEach((type, s) -> System.out.printf(
                "%-12s %6d %6d %6d %9.3f %7.3f%n", type, s.tp, s.fp, s.fn, s.precision(), s.recall()));
        SCORES.forEach((type, s) -> s.misses.stream().limit(8).forEach(m -> System.out.println("  " + m)));
    }

    private static double overlap(PiiCorpus.Gold gold, PiiEntity entity) {
        int intersection = Math.min(gold.end(), entity.end()) - Math.max(gold.start(), entity.start());
        int union = Math.max(gold.end(), entity.end()) - Math.min(gold.start(), entity.start());
        return intersection <= 0 ? 0 : (double) intersection / union;
    }

    @Test
    void corpus_hasAtLeastAThousandSamplesInSevenLanguages() {
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(1000);
        assertThat(corpus.stream().filter(s -> s.gold().isEmpty()).count())
                .as("benign look-alikes without any PII")
                .isGreaterThan(150);
    }

    @Test
    void validatedTypes_reachRecall95AndPrecision90() {
        for (PiiType type :
                List.of(PiiType.CREDIT_CARD, PiiType.IBAN, PiiType.US_SSN, PiiType.EMAIL, PiiType.IP_ADDRESS)) {
            Score score = SCORES.get(type);
            assertThat(score.recall())
                    .as(type + " recall; misses: " + score.misses)
                    .isGreaterThanOrEqualTo(0.95);
            assertThat(score.precision())
                    .as(type + " precision; misses: " + score.misses)
                    .isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void ruleBasedTypes_stayAboveTheirMeasuredFloors() {
        // Phone numbers, names and addresses are found by rules; these floors sit a little below the figures
        // measured on this corpus (printed above), so that a regression fails the build.
        assertThat(SCORES.get(PiiType.PHONE).recall()).isGreaterThanOrEqualTo(0.9);
        assertThat(SCORES.get(PiiType.PHONE).precision()).isGreaterThanOrEqualTo(0.9);
        assertThat(SCORES.get(PiiType.PERSON).recall()).isGreaterThanOrEqualTo(0.7);
        assertThat(SCORES.get(PiiType.PERSON).precision()).isGreaterThanOrEqualTo(0.8);
        assertThat(SCORES.get(PiiType.ADDRESS).recall()).isGreaterThanOrEqualTo(0.8);
        assertThat(SCORES.get(PiiType.ADDRESS).precision()).isGreaterThanOrEqualTo(0.8);
    }

    @Test
    void redact_sameValueTwice_getsTheSamePlaceholder() {
        PiiVault vault = new PiiVault("run-1");
        PiiRedactor redactor = new PiiRedactor(DETECTOR);

        Redaction first = redactor.redact("Mail ann@example.com or bob@example.com.", vault);
        Redaction second = redactor.redact("Again: ANN@example.com, and card 4111 1111 1111 1111.", vault);

        assertThat(first.text()).isEqualTo("Mail <EMAIL_1> or <EMAIL_2>.");
        assertThat(second.text()).isEqualTo("Again: <EMAIL_1>, and card <CREDIT_CARD_1>.");
        assertThat(second.replacements())
                .extracting(Redaction.Replacement::placeholder)
                .containsExactly("<EMAIL_1>", "<CREDIT_CARD_1>");
    }

    @Test
    void restore_putsBackTheValuesOfThisVaultOnly() {
        PiiVault vault = new PiiVault("run-1");
        String redacted = new PiiRedactor(DETECTOR)
                .redact("IBAN DE89 3704 0044 0532 0130 00, mail x@y.org", vault)
                .text();

        assertThat(redacted).isEqualTo("IBAN <IBAN_1>, mail <EMAIL_1>");
        assertThat(vault.restore("{\"to\":\"<EMAIL_1>\",\"iban\":\"<IBAN_1>\",\"other\":\"<EMAIL_7>\"}"))
                .isEqualTo("{\"to\":\"x@y.org\",\"iban\":\"DE89 3704 0044 0532 0130 00\",\"other\":\"<EMAIL_7>\"}");
        assertThat(new PiiVault("run-2").restore(redacted)).isEqualTo(redacted);
        assertThat(vault.toString()).doesNotContain("x@y.org");
    }

    @Test
    void redactAll_overTheCorpus_leavesNoDetectedValueInTheText() {
        PiiVault vault = new PiiVault("corpus");
        PiiRedactor redactor = new PiiRedactor(DETECTOR);
        for (PiiCorpus.Sample sample : corpus) {
            List<PiiEntity> entities = DETECTOR.detect(sample.text());
            Redaction redaction = redactor.redact(sample.text(), vault);
            for (PiiEntity entity : entities) {
                assertThat(redaction.text()).doesNotContain(entity.text());
            }
            assertThat(vault.restore(redaction.text())).isEqualTo(sample.text());
        }
    }

    @Test
    void phoneNumbers_inDifferentFormats_shareAPlaceholder() {
        PiiVault vault = new PiiVault("run");
        PiiRedactor redactor = new PiiRedactor(DETECTOR);

        String text = redactor.redact("Call +44 20 7946 0958, or 0044 20 7946 0958, or +442079460958.", vault)
                .text();

        assertThat(text).isEqualTo("Call <PHONE_1>, or <PHONE_1>, or <PHONE_1>.");
    }

    @Test
    void guardrail_redactsInputAndKeepsValuesOutOfItsReason_andRestoresThemForAnAuthorisedToolOnly() throws Exception {
        Guard guard = Guard.builder()
                .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact().restoringFor("send_email")))
                .build();
        List<String> received = new ArrayList<>();
        Tool sendEmail =
                guard.wrap(Tool.of(new ToolDefinition("send_email", "Sends.", ToolDefinition.NO_PARAMETERS), call -> {
                    received.add(call.arguments());
                    return ToolResult.ok("sent to jane.roe@example.com");
                }));
        Tool search = guard.wrap(Tool.of(new ToolDefinition("search", "Finds.", ToolDefinition.NO_PARAMETERS), call -> {
            received.add(call.arguments());
            return ToolResult.ok("found");
        }));
        Interceptor pii = guard.interceptors().get("pii");

        Verdict verdict = pii.intercept(Seams.task("run-7", "Write to jane.roe@example.com about SSN 536-22-5118."));
        ToolResult sent = sendEmail.execute(new ToolInvocation("{\"to\":\"<EMAIL_1>\"}", "run-7:3", "run-7", "a", 3));
        search.execute(new ToolInvocation("{\"q\":\"<EMAIL_1>\"}", "run-7:4", "run-7", "a", 4));

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Replace.class, replace -> {
            assertThat(((Interception.Subject.Task) replace.replacement()).task())
                    .isEqualTo("Write to <EMAIL_1> about SSN <US_SSN_1>.");
            assertThat(replace.reason()).isEqualTo("redacted 1 EMAIL, 1 US_SSN");
        });
        assertThat(received).containsExactly("{\"to\":\"jane.roe@example.com\"}", "{\"q\":\"<EMAIL_1>\"}");
        assertThat(sent).isEqualTo(ToolResult.ok("sent to <EMAIL_1>"));
    }

    @Test
    void restoration_ofAPlaceholderTheVaultDoesNotHold_failsWithoutRunningTheTool() throws Exception {
        Guard guard = Guard.builder()
                .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact().restoringFor("send_email")))
                .build();
        List<String> received = new ArrayList<>();
        Tool sendEmail =
                guard.wrap(Tool.of(new ToolDefinition("send_email", "Sends.", ToolDefinition.NO_PARAMETERS), call -> {
                    received.add(call.arguments());
                    return ToolResult.ok("sent");
                }));

        ToolResult result = sendEmail.execute(new ToolInvocation("{\"to\":\"<EMAIL_2>\"}", "run-8:3", "run-8", "a", 3));

        assertThat(result.error()).isTrue();
        assertThat(result.content())
                .startsWith("the values behind <EMAIL_2> are not available, so 'send_email' did not run: personal data"
                        + " is kept in memory only");
        assertThat(received).isEmpty();
    }

    @Test
    void guardrail_blockAction_blocksWithTheTypesAsReason() throws Exception {
        Guard guard = Guard.builder()
                .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact().withAction(PiiPolicy.Action.BLOCK)))
                .build();
        Interceptor pii = guard.interceptors().get("pii");

        assertThat(pii.intercept(Seams.answer("r", "a", "card 4111-1111-1111-1111")))
                .isEqualTo(Verdict.block("it carries personal data (1 CREDIT_CARD)"));
        assertThat(pii.intercept(Seams.answer("r", "a", "nothing personal here")))
                .isEqualTo(Verdict.proceed());
    }

    @Test
    void guardrail_redactsJsonArgumentsValueByValue_keepingThemJson() throws Exception {
        Guard guard = Guard.builder()
                .guardrails(Guardrails.NONE.withPii(PiiPolicy.redact()))
                .build();
        Interceptor pii = guard.interceptors().get("pii");
        pii.intercept(Seams.task("r", "Call the customer.")); // the run starts here: its vault knows every value

        Verdict verdict = pii.intercept(
                Seams.toolUse("r", "a", "crm", "{\"note\":\"call +44 20 7946 0958\",\"ids\":[\"ann@example.com\"]}"));

        assertThat(((Interception.Subject.ToolUse) ((Verdict.Replace) verdict).replacement())
                        .call()
                        .arguments())
                .isEqualTo("{\"note\":\"call <PHONE_1>\",\"ids\":[\"<EMAIL_1>\"]}");
    }

    @Test
    void detect_onAMegabyteOfText_staysLinear() {
        String line = "Order 2024-000123 shipped to ann@example.com from 10.0.0.1; call 555-0100 maybe. ";
        String text = line.repeat(1_000_000 / line.length());

        List<PiiEntity> entities = DETECTOR.detect(text);

        assertThat(entities.stream().filter(e -> e.type() == PiiType.EMAIL).count())
                .isEqualTo(1_000_000 / line.length());
    }

    // ---- a whole run with redaction on -----------------------------------------------------------------------

    /** Raw values a run sees: in the task, in a tool's result, and one a model makes up. */
    private static final List<String> RAW = List.of(
            "jane.roe@example.com",
            "+44 20 7946 0958",
            "4111 1111 1111 1111",
            "DE89 3704 0044 0532 0130 00",
            "536-22-5118",
            "203.0.113.42",
            "jane.backup@example.org",
            "Mr. Jonathan Whitaker",
            "221B Baker Street");

    /** The forms a value might take when stored: as written, without separators, in lower case. */
    private static List<String> forms(String value) {
        List<String> forms = new ArrayList<>(List.of(value, value.toLowerCase(java.util.Locale.ROOT)));
        String digits = value.replaceAll("[\\s-]", "");
        if (digits.length() >= 9 && !digits.equals(value)) {
            forms.add(digits);
        }
        return forms;
    }

    @Test
    @org.junit.jupiter.api.DisplayName(
            "after a run with redaction on, no raw value is in the journal, the logs, the audit log, the traces and"
                    + " metrics or the exported dataset, while authorised tools still got them")
    void aRunWithRedactionOn_leavesNoRawValueAnywhere_andAuthorisedToolsStillGetThem(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path logFile = dir.resolve("run.log");
        ch.qos.logback.classic.LoggerContext logs =
                (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger root = logs.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ch.qos.logback.core.FileAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new ch.qos.logback.core.FileAppender<>();
        ch.qos.logback.classic.encoder.PatternLayoutEncoder encoder =
                new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setContext(logs);
        encoder.setPattern("%d %level %logger - %msg%n%ex");
        encoder.start();
        appender.setContext(logs);
        appender.setFile(logFile.toString());
        appender.setEncoder(encoder);
        appender.start();
        ch.qos.logback.classic.Level level = root.getLevel();
        root.addAppender(appender);
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);

        List<String> toolsSaw = new java.util.concurrent.CopyOnWriteArrayList<>();
        String schema = "{\"type\":\"object\"}";
        Tool lookup = Tool.of(new ToolDefinition("lookup_customer", "Finds a customer by e-mail.", schema), call -> {
            toolsSaw.add(call.arguments());
            return ToolResult.ok("{\"customer\":\"Mr. Jonathan Whitaker\",\"card\":\"4111 1111 1111 1111\","
                    + "\"iban\":\"DE89 3704 0044 0532 0130 00\",\"phone\":\"+44 20 7946 0958\","
                    + "\"address\":\"221B Baker Street\",\"last_login_ip\":\"203.0.113.42\"}");
        });
        Tool sendEmail = Tool.of(new ToolDefinition("send_email", "Sends an e-mail.", schema), call -> {
            toolsSaw.add(call.arguments());
            return ToolResult.ok("sent to jane.roe@example.com");
        });
        io.troupe.testkit.ScriptedModel model = io.troupe.testkit.ScriptedModel.unordered()
                .on(
                        io.troupe.testkit.Match.system("You look customers up"),
                        io.troupe.testkit.Reply.toolCall("lookup_customer", "{\"email\":\"<EMAIL_1>\"}"))
                .on(
                        io.troupe.testkit.Match.afterTool("lookup_customer"),
                        io.troupe.testkit.Reply.from(request -> io.troupe.api.model.ModelResponse.text(
                                "Found: " + request.messages().getLast().text()
                                        + " Her backup address is jane.backup@example.org.",
                                io.troupe.api.model.Usage.of(10, 10))))
                .on(
                        io.troupe.testkit.Match.system("You write to customers"),
                        io.troupe.testkit.Reply.toolCall(
                                "send_email",
                                "{\"to\":\"<EMAIL_1>\",\"body\":\"Your card <CREDIT_CARD_1> is blocked.\"}"))
                .on(io.troupe.testkit.Match.afterTool("send_email"), io.troupe.testkit.Reply.text("Done: <EMAIL_1>."));
        io.troupe.api.team.TeamSpec team = io.troupe.api.team.TeamSpec.builder("support")
                .members(
                        io.troupe.api.agent.AgentSpec.builder("intake")
                                .model("m")
                                .instructions("You look customers up.")
                                .tools("lookup_customer")
                                .build(),
                        io.troupe.api.agent.AgentSpec.builder("notifier")
                                .model("m")
                                .instructions("You write to customers.")
                                .tools("send_email")
                                .build())
                .build();
        Guard guard = Guard.builder()
                .guardrails(
                        Guardrails.STANDARD.withPii(PiiPolicy.redact().restoringFor("lookup_customer", "send_email")))
                .audit(io.troupe.guard.AuditPolicy.to(dir.resolve("audit")))
                .build();
        String task = "Customer jane.roe@example.com (SSN 536-22-5118, phone +44 20 7946 0958) says her card was"
                + " stolen. Look her up and tell her it is blocked.";

        String id;
        List<String> exported = new ArrayList<>();
        io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter spans =
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create();
        io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter metrics =
                io.opentelemetry.sdk.testing.exporter.InMemoryMetricExporter.create();
        List<String> traced = new ArrayList<>();
        List<String> spanNames = new ArrayList<>();
        try (io.troupe.telemetry.Telemetry telemetry = io.troupe.telemetry.Telemetry.create(
                        io.troupe.telemetry.TelemetrySettings.OFF, spans, metrics);
                io.troupe.api.run.Troupe troupe = guard.start(
                        io.troupe.runtime.TroupeRuntime.builder()
                                .model("m", telemetry.traced(model))
                                .journal(io.troupe.runtime.Journal.h2(dir.resolve("journal")))
                                .config("pekko.loglevel = DEBUG\npekko.actor.debug.unhandled = on"),
                        List.of(lookup, sendEmail))) {
            io.troupe.api.run.RunHandle handle = troupe.run(team, task);
            java.util.concurrent.CompletableFuture<Void> followed = telemetry.follow(handle);
            io.troupe.testkit.RunRecord run = io.troupe.testkit.TroupeHarness.collect(handle);
            followed.get(30, java.util.concurrent.TimeUnit.SECONDS);
            id = run.conversationId();
            assertThat(run.result()).isEqualTo("Done: <EMAIL_1>.");
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> guard.runsInMemory() == 0);
            // The dataset a user would export: the run's journal as JSON lines.
            for (io.troupe.api.run.JournalEvent event :
                    troupe.replay(id).toCompletableFuture().join().events()) {
                exported.add(io.troupe.runtime.JournalCodec.json().write(event));
            }
            // Spans as the run went, then as 'troupe replay --export-otel' exports them from the journal.
            telemetry.flush(java.time.Duration.ofSeconds(10));
            telemetry.export(troupe.replay(id).toCompletableFuture().join(), List.of());
            telemetry.flush(java.time.Duration.ofSeconds(10));
            for (io.opentelemetry.sdk.trace.data.SpanData span : spans.getFinishedSpanItems()) {
                spanNames.add(span.getName());
                traced.add(
                        span.getName() + " " + span.getAttributes() + " " + span.getEvents() + " " + span.getStatus());
            }
            metrics.getFinishedMetricItems().forEach(metric -> traced.add(metric.toString()));
            traced.add(telemetry.scrape());
        } finally {
            root.detachAppender(appender);
            root.setLevel(level);
            appender.stop();
        }

        // The authorised tools got the raw values, and only they did.
        assertThat(toolsSaw)
                .containsExactly(
                        "{\"email\":\"jane.roe@example.com\"}",
                        "{\"to\":\"jane.roe@example.com\",\"body\":\"Your card 4111 1111 1111 1111 is blocked.\"}");
        assertThat(String.join("\n", exported))
                .contains("<EMAIL_1>", "<US_SSN_1>", "<PHONE_1>", "<CREDIT_CARD_1>", "<IBAN_1>", "<EMAIL_2>");
        assertThat(java.nio.file.Files.size(logFile))
                .as("the run logged at DEBUG")
                .isGreaterThan(1000);
        // Search everything the run left behind, byte by byte.
        List<java.nio.file.Path> files;
        try (var walk = java.nio.file.Files.walk(dir)) {
            files = walk.filter(java.nio.file.Files::isRegularFile).toList();
        }
        assertThat(files)
                .extracting(f -> f.getFileName().toString())
                .contains("troupe.mv.db", "run.log", id + ".audit.jsonl");
        for (java.nio.file.Path file : files) {
            String content =
                    new String(java.nio.file.Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1);
            for (String raw : RAW) {
                for (String form : forms(raw)) {
                    assertThat(content).as("%s in %s", form, file).doesNotContain(form);
                }
            }
        }
        for (String line : exported) {
            for (String raw : RAW) {
                for (String form : forms(raw)) {
                    assertThat(line).as("%s in the exported dataset", form).doesNotContain(form);
                }
            }
        }
        assertThat(spanNames).contains("execute_tool lookup_customer", "execute_tool send_email");
        for (String trace : traced) {
            for (String raw : RAW) {
                for (String form : forms(raw)) {
                    assertThat(trace).as("%s in the traces and metrics", form).doesNotContain(form);
                }
            }
        }
        model.verify();
    }
}

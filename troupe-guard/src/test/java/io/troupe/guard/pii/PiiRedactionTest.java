package io.troupe.guard.pii;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.guard.GuardContext;
import io.troupe.guard.Verdict;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    void guardrail_redactsInputAndKeepsValuesOutOfItsFindings() {
        PiiVaults vaults = new PiiVaults();
        PiiGuardrail guardrail =
                new PiiGuardrail(DETECTOR, vaults, PiiGuardrail.Action.REDACT, Set.of(), Set.of("send_email"));
        GuardContext context = GuardContext.input("run-7", "reader");

        Verdict verdict = guardrail.check("Write to jane.roe@example.com about SSN 536-22-5118.", context);

        assertThat(verdict).isInstanceOfSatisfying(Verdict.Redact.class, redact -> {
            assertThat(redact.text()).isEqualTo("Write to <EMAIL_1> about SSN <US_SSN_1>.");
            assertThat(redact.reason()).isEqualTo("redacted 1 EMAIL, 1 US_SSN");
            assertThat(redact.findings().toString()).doesNotContain("jane.roe").doesNotContain("536");
        });
        GuardContext tool = GuardContext.toolArguments("run-7", "reader", "send_email");
        assertThat(guardrail.restoreForTool("send_email", "{\"to\":\"<EMAIL_1>\"}", tool))
                .isEqualTo("{\"to\":\"jane.roe@example.com\"}");
        assertThat(guardrail.restoreForTool("web_search", "{\"q\":\"<EMAIL_1>\"}", tool))
                .isEqualTo("{\"q\":\"<EMAIL_1>\"}");
    }

    @Test
    void guardrail_blockAction_blocksWithTheTypesAsReason() {
        PiiGuardrail guardrail =
                new PiiGuardrail(DETECTOR, new PiiVaults(), PiiGuardrail.Action.BLOCK, Set.of(), Set.of());

        Verdict verdict = guardrail.check("card 4111-1111-1111-1111", GuardContext.output("r", "a"));

        assertThat(verdict)
                .isEqualTo(new Verdict.Block("the text carries personal data: 1 CREDIT_CARD", verdict.findings()));
        assertThat(guardrail.check("nothing personal here", GuardContext.output("r", "a")))
                .isEqualTo(Verdict.pass());
    }

    @Test
    void detect_onAMegabyteOfText_staysLinear() {
        String line = "Order 2024-000123 shipped to ann@example.com from 10.0.0.1; call 555-0100 maybe. ";
        String text = line.repeat(1_000_000 / line.length());

        List<PiiEntity> entities = DETECTOR.detect(text);

        assertThat(entities.stream().filter(e -> e.type() == PiiType.EMAIL).count())
                .isEqualTo(1_000_000 / line.length());
    }
}

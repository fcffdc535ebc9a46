package io.troupe.guard.injection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule half of the injection detector: named patterns over the views of a text, in English and the main
 * European languages (plus Russian, Chinese and Japanese for the override family), and obfuscation signals.
 *
 * <p>Rules describe what an injection <em>does</em> (overrides instructions, reassigns the model's role, spoofs
 * chat markup, addresses the AI, exfiltrates data, asks for the system prompt, invokes tools, demands secrecy)
 * rather than quoting known samples. A match inside quotation marks after words such as "such as" or
 * "for example" is a mention, not a use, and counts for a third of its weight. A match in hidden or decoded text
 * counts more, as hiding an instruction is itself a signal (a decoded reading only for rules the plain text does not
 * fire: reading {@code update_db_time} apart reveals nothing). Immutable and thread-safe.
 */
public final class InjectionRules {
    /** The built-in rules (see {@link BuiltInInjectionRules} for the families). */
    public static final List<InjectionRule> BUILT_IN = BuiltInInjectionRules.ALL;

    private static final Pattern MENTION_CUE =
            Pattern.compile("(?:such as|like|e\\.g\\.|for example|for instance|phrases?|the words|called|known as|"
                    + "say(?:s|ing)?|wrote|write|writes|contain(?:s|ing)?|example|attackers?|injections?|"
                    + "malicious|trick|beware|watch out|warn|e\\.g|(?:said|says|tells?|told|asks?|asked|replied|replies|"
                    + "answers?|answered|wrote|writes|shouts?|shouted|whispers?|whispered|orders?|ordered|screams?|"
                    + "screamed|yells?|yelled)(?:\\s+[\\w']+){0,3})\\W{0,4}$");

    private static final Pattern REPORTED =
            Pattern.compile("\\b(?:attackers?|scammers?|hackers?|criminals?|phishing|malware|fraudsters?|spam|scams?|"
                    + "malicious (?:\\w+\\s+){0,2}|fake (?:\\w+\\s+){0,2}|injections?|jailbreaks?)[^.;\\n]{0,60}\\b"
                    + "(?:ask|asks|tell|tells|try|tries|trick|tricks|want|wants|instruct|instructs|urge|urges|lure|lures|"
                    + "make|makes|get|gets)\\b[^.;\\n]{0,30}\\b(?:to|into)\\s*$");

    private final List<InjectionRule> rules;

    /** The built-in rules. */
    public static InjectionRules standard() {
        return new InjectionRules(BUILT_IN);
    }

    /** A rule set of your own, for example the built-in rules and some of yours. */
    public InjectionRules(List<InjectionRule> rules) {
        this.rules = List.copyOf(rules);
    }

    /** The rules. */
    public List<InjectionRule> rules() {
        return rules;
    }

    /** One fired rule, with its effective weight and the view it fired in. */
    public record Hit(String id, double weight, String view) {}

    /** The rules that fire on {@code views}, at most one hit per rule (the strongest), plus obfuscation signals. */
    public List<Hit> apply(TextViews views) {
        Map<String, Hit> best = new LinkedHashMap<>();
        // The plain views come first: a rule that fires in them gains nothing from firing in another reading of the
        // same text too (code's snake_case words read apart, say), so a decoded reading only counts extra for what
        // the plain text hides. Hidden parts (a comment, white text) keep their weight: they are in the plain text
        // too when the markup only hides them from view.
        Set<String> plain = new HashSet<>();
        for (Map.Entry<String, String> view : views.all()) {
            boolean concealed = !view.getKey().equals("text") && !view.getKey().equals("leet");
            for (InjectionRule rule : rules) {
                if (view.getKey().equals("decoded") && plain.contains(rule.id())) {
                    continue;
                }
                Matcher m = rule.pattern().matcher(view.getValue());
                while (m.find()) {
                    double weight = rule.weight();
                    if (concealed) {
                        weight = Math.min(1, weight + 0.25);
                    } else if (mention(view.getValue(), m.start(), m.end())) {
                        weight /= 3;
                    }
                    Hit hit = new Hit(rule.id(), weight, view.getKey());
                    best.merge(rule.id(), hit, (a, b) -> a.weight() >= b.weight() ? a : b);
                    if (!concealed) {
                        plain.add(rule.id());
                    }
                    if (weight >= rule.weight()) {
                        break;
                    }
                }
            }
        }
        List<Hit> hits = new ArrayList<>(best.values());
        boolean anyRule = !hits.isEmpty();
        if (views.tagCharacters() > 0) {
            hits.add(new Hit("obfuscation.unicode-tags", views.tagCharacters() >= 8 ? 0.8 : 0.4, "text"));
        }
        if (views.zeroWidth() >= 3) {
            hits.add(new Hit("obfuscation.zero-width", anyRule ? 0.35 : 0.15, "text"));
        }
        if (views.mixedScriptWords() >= 2) {
            hits.add(new Hit("obfuscation.homoglyphs", anyRule ? 0.35 : 0.2, "text"));
        }
        if (anyRule
                && views.hidden().size() > 0
                && best.values().stream().anyMatch(h -> h.view().equals("hidden"))) {
            hits.add(new Hit("hidden.instructions", 0.4, "hidden"));
        }
        if (anyRule && best.values().stream().anyMatch(h -> h.view().equals("decoded"))) {
            hits.add(new Hit("encoded.instructions", 0.4, "decoded"));
        }
        return List.copyOf(hits);
    }

    /**
     * The noisy-OR of the hits' weights, taking the strongest hit of each family ({@code override},
     * {@code exfil}…) so that one phrase matched by two rules of a family counts once.
     */
    public static double score(List<Hit> hits) {
        Map<String, Double> families = new LinkedHashMap<>();
        for (Hit hit : hits) {
            int dot = hit.id().indexOf('.');
            families.merge(dot < 0 ? hit.id() : hit.id().substring(0, dot), hit.weight(), Math::max);
        }
        double none = 1;
        for (double weight : families.values()) {
            none *= 1 - weight;
        }
        return 1 - none;
    }

    /** Whether the match is quoted after a cue such as "such as" or "for example": a mention, not a use. */
    private static boolean mention(String text, int start, int end) {
        int lineStart = Math.max(0, Math.max(text.lastIndexOf('\n', start), start - 200));
        String before = text.substring(lineStart, start);
        int quotes = 0;
        for (int i = 0; i < before.length(); i++) {
            char c = before.charAt(i);
            if (c == '"'
                    || c == '“'
                    || c == '”'
                    || c == '«'
                    || c == '»'
                    || c == '„'
                    || c == '‘'
                    || c == '’'
                    || c == '`'
                    || (c == '\'' && (i == 0 || !Character.isLetter(before.charAt(i - 1))))) {
                quotes++;
            }
        }
        int sentenceStart =
                Math.max(Math.max(before.lastIndexOf(". "), before.lastIndexOf("; ")), before.lastIndexOf('\n'));
        if (REPORTED.matcher(before.substring(sentenceStart + 1)).find()) {
            return true; // "phishing e-mails often ask you to send credentials…": a description of an attack
        }
        boolean quoted = quotes % 2 == 1;
        String cueText = before.strip();
        // strip the opening quote to look at the words before it
        while (!cueText.isEmpty() && "\"“”«»„‘’'`:".indexOf(cueText.charAt(cueText.length() - 1)) >= 0) {
            cueText = cueText.substring(0, cueText.length() - 1).strip();
        }
        return quoted && MENTION_CUE.matcher(cueText).find();
    }
}

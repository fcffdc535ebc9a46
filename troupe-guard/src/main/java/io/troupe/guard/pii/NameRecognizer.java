package io.troupe.guard.pii;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Person names found by rules, in several languages: a title ("Dr. Jane Roe", "Frau Müller"), a cue phrase
 * ("my name is", "Dear", "je m'appelle", "Name:"), a sign-off followed by a name on the next line, or a listed
 * given name followed by a capitalised surname. Without a statistical model its recall is limited (names with
 * no cue and an unlisted given name are missed); its precision suffers on capitalised place and product names.
 */
final class NameRecognizer implements Recognizer {
    private static final String WORD = "\\p{Lu}[\\p{L}'’\\-]*\\p{Ll}";
    private static final String PARTICLE =
            "(?:(?:van|von|der|den|de|del|della|da|di|du|le|la|bin|al|ibn|dos|das|y)\\s+)";
    private static final String NAME = WORD + "(?:\\s+" + PARTICLE + "{0,2}" + WORD + "){0,3}";
    private static final Pattern TITLED = Pattern.compile(
            "(?<![\\p{L}])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Lord|Lady|Herr|Frau|Mme|Mlle|Monsieur|Madame|Sr|Sra|"
                    + "Srta|Señor|Señora|Don|Doña|Sig|Sig\\.ra|Signor|Signora|Dott|Dottssa|Fr|Hr|Mevr|Dhr|Pan|Pani)"
                    + "\\.?\\s+(" + NAME + ")");
    private static final Pattern CUED = Pattern.compile(
            "(?iu)(?:my name is|my name's|i am called|name\\s*:|full name\\s*:|patient\\s*:|customer\\s*:|"
                    + "employee\\s*:|contact\\s*:|attn\\.?\\s*:?|attention\\s*:|dear|hi|hello|hey|signed\\s*:?|"
                    + "cc\\s*:|from\\s*:|to\\s*:|ich heiße|ich bin|mein name ist|je m'appelle|je suis|"
                    + "me llamo|mi nombre es|soy|mi chiamo|sono|meu nome é|chamo-me|ik heet|mijn naam is|"
                    + "sincerely|regards|best|cheers|thanks|grüße|cordialement|saludos|cordiali saluti|"
                    + "atenciosamente|met vriendelijke groet)[,:]?[ \\t]*\\n?[ \\t]*(?-i:(" + NAME + "))");
    private static final Set<String> NOT_NAMES = Set.of(
            "team",
            "all",
            "everyone",
            "there",
            "customer",
            "sir",
            "madam",
            "colleague",
            "colleagues",
            "friend",
            "friends",
            "support",
            "the",
            "this",
            "that",
            "world",
            "user",
            "users",
            "admin",
            "sales",
            "hr",
            "it",
            "manager",
            "client",
            "guest",
            "member",
            "members",
            "partner",
            "partners",
            "folks",
            "guys",
            "you",
            "regards",
            "thanks",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
            "kind",
            "best",
            "warm",
            "please",
            "we",
            "our",
            "your",
            "dear",
            "hello",
            "mr",
            "mrs",
            "ms",
            "dr",
            "kunde",
            "kundin",
            "damen",
            "herren",
            "madame",
            "monsieur",
            "señor",
            "señora",
            "amigo",
            "cliente",
            "signore",
            "not",
            "happy",
            "glad",
            "sorry",
            "here",
            "new",
            "good",
            "great",
            "just",
            "also",
            "available",
            "ready",
            "sure",
            "writing",
            "going",
            "looking",
            "interested",
            "able",
            "done");
    private static final Set<String> FIRST_NAMES = loadFirstNames();
    private static final Pattern TOKEN = Pattern.compile("(?<![\\p{L}])" + WORD + "(?![\\p{L}])");
    private static final Pattern SURNAME_AFTER = Pattern.compile("\\s+(" + PARTICLE + "{0,2}" + WORD + ")(?![\\p{L}])");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        Matcher m = TITLED.matcher(text);
        while (m.find()) {
            add(found, text, m.start(1), m.end(1), 0.9);
        }
        m = CUED.matcher(text);
        while (m.find()) {
            add(found, text, m.start(1), m.end(1), 0.75);
        }
        m = TOKEN.matcher(text);
        Matcher surname = SURNAME_AFTER.matcher(text);
        while (m.find()) {
            if (!FIRST_NAMES.contains(m.group())) {
                continue;
            }
            surname.region(m.end(), text.length());
            if (surname.lookingAt()) {
                String last = surname.group(1);
                String lastWord = last.substring(last.lastIndexOf(' ') + 1);
                if (!NOT_NAMES.contains(lastWord.toLowerCase(Locale.ROOT))) {
                    add(found, text, m.start(), surname.end(), 0.7);
                }
            }
        }
        return found;
    }

    private static void add(List<PiiEntity> found, String text, int start, int end, double confidence) {
        String value = text.substring(start, end);
        String[] words = value.split("\\s+");
        int keep = words.length;
        while (keep > 0 && NOT_NAMES.contains(words[keep - 1].toLowerCase(Locale.ROOT))) {
            keep--;
        }
        if (keep == 0 || NOT_NAMES.contains(words[0].toLowerCase(Locale.ROOT))) {
            return;
        }
        int cut = end;
        if (keep < words.length) {
            cut = start + value.indexOf(words[keep - 1]) + words[keep - 1].length();
        }
        // A single unlisted word after a weak cue ("Hi Team", "Best Practices") is too often not a name.
        if (keep == 1 && confidence < 0.9 && !FIRST_NAMES.contains(words[0])) {
            return;
        }
        found.add(new PiiEntity(PiiType.PERSON, start, cut, text.substring(start, cut), confidence));
    }

    private static Set<String> loadFirstNames() {
        Set<String> names = new HashSet<>();
        try (InputStream in = NameRecognizer.class.getResourceAsStream("first-names.txt")) {
            if (in == null) {
                throw new IllegalStateException("first-names.txt is missing from the troupe-guard jar");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("#")) {
                    for (String name : line.strip().split("\\s+")) {
                        if (!name.isEmpty()) {
                            names.add(name);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read first-names.txt from the troupe-guard jar", e);
        }
        return Set.copyOf(names);
    }
}

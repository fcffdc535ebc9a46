package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Street addresses found by rules: a house number and a street-type word, in English ("221B Baker Street"),
 * German and Dutch ("Hauptstraße 5", "Keizersgracht 123"), French ("12 rue de la Paix"), Spanish, Italian and
 * Portuguese ("Calle Mayor 3", "Via Roma 10", "Rua Augusta 20"), with a unit, a postal code and a city when they
 * follow. Addresses without a street-type word ("Baker 5") are missed.
 */
final class AddressRecognizer implements Recognizer {
    /** A capitalised name word with at least one lower-case letter: "Roma", "Garibaldi", not "UPS". */
    private static final String NAMED = "\\p{Lu}[\\p{L}'’.\\-]*\\p{Ll}[\\p{L}'’.\\-]*";

    private static final String CAP = "\\p{Lu}[\\p{L}'’.\\-]*";
    private static final String EN_TYPE = "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|"
            + "Place|Pl|Square|Sq|Terrace|Ter|Way|Parkway|Pkwy|Highway|Hwy|Circle|Cir|Close|Crescent|Cres|Row|Mews|"
            + "Gardens|Grove|Hill|Walk|Trail|Alley|Plaza)\\.?";
    private static final String UNIT = "(?:,?\\s+(?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|#)\\.?\\s*[\\w-]{1,6})?";
    private static final String TAIL =
            "(?:,\\s*(?:" + CAP + "(?:\\s" + CAP + "){0,2}),?\\s*(?:[A-Z]{2}\\s+)?\\d{5}(?:-\\d{4})?"
                    + "|,\\s*\\d{4,5}\\s+" + CAP + "(?:[ \\-]" + CAP + ")?"
                    + "|,\\s*" + CAP + "(?:\\s" + CAP + ")?\\s+[A-Z]{1,2}\\d[A-Z\\d]?\\s?\\d[A-Z]{2})?";
    private static final Pattern ENGLISH = Pattern.compile("(?<![\\p{L}\\p{N}])\\d{1,5}[A-Za-z]?,?\\s+(?:" + CAP
            + "\\s+){1,3}" + EN_TYPE + "(?![\\p{L}])" + UNIT + TAIL);
    private static final Pattern GERMANIC = Pattern.compile(
            "(?<![\\p{L}])\\p{Lu}[\\p{L}\\-]*(?:straße|strasse|str\\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|"
                    + "straat|laan|plein|gracht|kade|dijk|singel|steeg|gatan|vägen|gade|vej)\\s+\\d{1,4}\\s?[a-z]?"
                    + "(?![\\p{L}\\p{N}])" + TAIL);
    private static final Pattern GERMANIC_SPLIT = Pattern.compile("(?<![\\p{L}])(?:" + CAP
            + "\\s)?(?:Straße|Strasse|Weg|Allee|Platz|Gasse)\\s+\\d{1,4}\\s?[a-z]?(?![\\p{L}\\p{N}])" + TAIL);
    private static final Pattern FRENCH = Pattern.compile(
            "(?iu)(?<![\\p{L}\\p{N}])\\d{1,4}(?:\\s?(?:bis|ter))?,?\\s+(?:rue|avenue|av\\.|boulevard|bd|place|allée|"
                    + "chemin|impasse|quai|cours|route|passage)\\s+(?:(?:de la|de l'|des|du|de|d')\\s*)?"
                    + "(?-i:\\p{Lu}[\\p{L}'’\\-]*)(?:\\s(?:de |du |des |la |le )?(?-i:\\p{Lu}[\\p{L}'’\\-]*)){0,3}"
                    + "(?:,\\s*\\d{5}\\s+(?-i:\\p{Lu}[\\p{L}\\-]*))?");
    private static final Pattern ROMANCE = Pattern.compile(
            "(?<![\\p{L}])(?:(?i:calle|avenida|plaza|paseo|carrer|via|viale|piazza|corso|vicolo|largo|rua|travessa|"
                    + "praça|alameda)|C/|Avda\\.|Av\\.)\\s+(?:(?:de la|del|de|dos|da|das|do|di|della)\\s+)?" + NAMED
                    + "(?:\\s(?:de |del |di |della |da |do )?" + CAP + "){0,3},?\\s+(?:n\\.?º?\\s*)?\\d{1,4}[a-zA-Z]?"
                    + "(?![\\p{L}\\p{N}])(?:,\\s*\\d{4,5}(?:-\\d{3})?\\s+" + CAP + ")?");

    private static final Pattern PO_BOX = Pattern.compile(
            "(?<![\\p{L}])(?:P\\.?\\s?O\\.?\\s?Box|Post(?:fach| Office Box)|Apartado(?: de correos)?|Bo[iî]te postale|"
                    + "Casella postale)\\s+\\d{1,6}" + TAIL);

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        for (Pattern pattern : List.of(ENGLISH, GERMANIC, GERMANIC_SPLIT, FRENCH, ROMANCE, PO_BOX)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
                String value = m.group().strip();
                int end = m.start() + value.length();
                while (end > m.start() && ",.".indexOf(text.charAt(end - 1)) >= 0 && !value.endsWith("St.")) {
                    end--;
                }
                found.add(new PiiEntity(PiiType.ADDRESS, m.start(), end, text.substring(m.start(), end), 0.8));
            }
        }
        return found;
    }
}

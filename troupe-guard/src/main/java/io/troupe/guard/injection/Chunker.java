package io.troupe.guard.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a text into sentence-sized units for the classifier. An injection is usually a sentence or two inside a
 * longer benign text, and the embedding of a whole paragraph would average it away; a sentence's embedding keeps
 * its intent. Very short pieces are merged with the next, long ones cut at a word boundary, and long texts keep a
 * bounded number of units (the first ones and those with the most instruction-like words), so that the cost stays
 * bounded on a megabyte.
 */
final class Chunker {
    /** The longest unit, in chars. */
    static final int MAX_UNIT = 300;
    /** Units shorter than this are merged with the next. */
    static final int MIN_UNIT = 30;
    /** The most units a text yields. */
    static final int MAX_CHUNKS = 32;

    private static final Pattern BOUNDARY = Pattern.compile(
            "(?<=[.!?。！？])\\s+|\\n+|\\s*\",\\s*\"|\"\\s*[,}\\]]\\s*[{\\[]?\\s*\"?|(?<=>)\\s*(?=<)|\\s+(?=#{1,6} )");
    private static final Pattern CUE = Pattern.compile(
            "\\b(ignore|instruction|instructions|assistant|ai|model|system|prompt|previous|send|forward|reveal|"
                    + "execute|tool|you must|you are|do not|don't|secret|password|api key|url|http|now|override|"
                    + "rules|task|agent|llm|user)\\b");

    private Chunker() {}

    static List<String> chunks(String text) {
        List<String> pieces = new ArrayList<>();
        Matcher m = BOUNDARY.matcher(text);
        int at = 0;
        while (m.find()) {
            addPiece(pieces, text.substring(at, m.start()));
            at = m.end();
        }
        addPiece(pieces, text.substring(at));
        List<String> units = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String piece : pieces) {
            if (!pending.isEmpty()) {
                pending.append(' ');
            }
            pending.append(piece);
            if (pending.length() >= MIN_UNIT) {
                units.add(pending.toString());
                pending.setLength(0);
            }
        }
        if (!pending.isEmpty()) {
            if (!units.isEmpty() && units.get(units.size() - 1).length() + pending.length() < MAX_UNIT) {
                units.set(units.size() - 1, units.get(units.size() - 1) + " " + pending);
            } else {
                units.add(pending.toString());
            }
        }
        if (units.size() <= MAX_CHUNKS) {
            return units;
        }
        List<String> kept = new ArrayList<>(units.subList(0, MAX_CHUNKS / 4));
        units.subList(MAX_CHUNKS / 4, units.size()).stream()
                .sorted(Comparator.comparingLong(Chunker::cues).reversed())
                .limit(MAX_CHUNKS - kept.size())
                .forEach(kept::add);
        return kept;
    }

    private static void addPiece(List<String> pieces, String piece) {
        String s = piece.strip();
        while (s.length() > MAX_UNIT) {
            int cut = s.lastIndexOf(' ', MAX_UNIT);
            cut = cut < MAX_UNIT / 2 ? MAX_UNIT : cut;
            pieces.add(s.substring(0, cut));
            s = s.substring(cut).strip();
        }
        if (!s.isEmpty() && s.chars().anyMatch(Character::isLetter)) {
            pieces.add(s);
        }
    }

    private static long cues(String unit) {
        return CUE.matcher(unit).results().count();
    }
}

package io.troupe.bench;

import java.util.Locale;

/**
 * Prints benchmark figures as tab-separated lines starting with {@code FIGURE}, which run.sh gathers into its
 * summary table, and as they are measured, so that a partial run still shows what it measured.
 */
final class Figures {
    private Figures() {}

    /** Prints one figure: what was measured, the value and unit, and the target or context ("" for none). */
    static void print(String name, double value, String unit, String note) {
        String formatted = Math.abs(value) >= 100 || value == Math.rint(value)
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%.3g", value);
        System.out.println("FIGURE\t" + name + "\t" + formatted + "\t" + unit + "\t" + note);
        System.out.flush();
    }

    /** Prints a line of context that is not a figure. */
    static void info(String text) {
        System.out.println("# " + text);
        System.out.flush();
    }

    /** "met" or "MISSED", for a value that should be at most {@code target}. */
    static String verdict(double value, double target) {
        return value <= target ? "met" : "MISSED";
    }
}

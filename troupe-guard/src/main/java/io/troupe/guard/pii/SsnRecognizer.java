package io.troupe.guard.pii;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * US Social Security Numbers: {@code AAA-GG-SSSS}, or with spaces or none when a cue such as "SSN" is near.
 * Numbers with an invalid area (000, 666, 900–999), group (00) or serial (0000) are rejected.
 */
final class SsnRecognizer implements Recognizer {
    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\p{N}\\-./])(\\d{3})([- ]?)(\\d{2})\\2(\\d{4})(?![\\p{N}]|[-./]\\d)");
    private static final Pattern CUE = Pattern.compile(
            "(?iu)(ssn|ss#|ss no|social security|soc\\.? sec|social sec|taxpayer|tin\\b|itin|sozialversicherung)");
    private static final Pattern PHONE_CUE = Pattern.compile("(?iu)(phone|tel|call|fax|mobile|cell)");

    @Override
    public List<PiiEntity> find(String text) {
        List<PiiEntity> found = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find()) {
            String digits = m.group(1) + m.group(3) + m.group(4);
            if (!Checksums.ssn(digits)) {
                continue;
            }
            boolean cue = Context.cueBefore(text, m.start(), 40, CUE);
            String separator = m.group(2);
            double confidence;
            if ((!cue && Context.labelledNotPersonal(text, m.start()))
                    || (!cue && Context.cueBefore(text, m.start(), 25, PHONE_CUE))) {
                confidence = 0.3;
            } else if (separator.equals("-")) {
                confidence = cue ? 0.97 : 0.85;
            } else {
                confidence = cue ? 0.9 : 0.3;
            }
            found.add(new PiiEntity(PiiType.US_SSN, m.start(), m.end(), m.group(), confidence));
        }
        return found;
    }
}

package io.troupe.guard.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.troupe.guard.injection.InjectionScan;
import io.troupe.guard.injection.Signal;
import io.troupe.guard.pii.PiiEntity;

/**
 * The stable JSON form of scan verdicts, one object per line (format version {@value #VERSION}):
 *
 * <pre>
 * {"line":3,"id":"doc-7",
 *  "pii":{"entities":[{"type":"EMAIL","start":5,"end":20,"text":"ann@example.com","confidence":0.97}],
 *         "redacted":"Mail &lt;EMAIL_1&gt; now"},
 *  "injection":{"score":0.93,"verdict":"injection","ruleScore":0.8,"modelScore":0.61,
 *               "fired":[{"id":"override.ignore-previous","kind":"rule","score":0.8,"view":"text"}]}}
 * {"line":4,"error":"invalid JSON at column 2: …"}
 * </pre>
 *
 * Offsets count Unicode code points (as Python's {@code str} does), start inclusive, end exclusive. {@code id} is
 * null for plain-text lines. {@code pii} or {@code injection} is absent when it was not asked for;
 * {@code modelScore} is null when the classifier did not run.
 */
public final class ScanJson {
    /** The format's version; it changes only with an incompatible change. */
    public static final int VERSION = 1;

    private final ObjectMapper json;

    /** A writer that uses {@code json} to serialise. */
    public ScanJson(ObjectMapper json) {
        this.json = json;
    }

    /** The JSON object of {@code result}. */
    public ObjectNode toJson(ScanResult result) {
        ObjectNode node = json.createObjectNode();
        node.put("line", result.line());
        node.put("id", result.id());
        if (result.pii() != null) {
            ObjectNode pii = node.putObject("pii");
            ArrayNode entities = pii.putArray("entities");
            String text = result.text();
            for (PiiEntity e : result.pii().entities()) {
                ObjectNode entity = entities.addObject();
                entity.put("type", e.type().name());
                int start = text.codePointCount(0, e.start());
                entity.put("start", start);
                entity.put("end", start + text.codePointCount(e.start(), e.end()));
                entity.put("text", e.text());
                entity.put("confidence", e.confidence());
            }
            pii.put("redacted", result.pii().redacted());
        }
        if (result.injection() != null) {
            InjectionScan scan = result.injection();
            ObjectNode injection = node.putObject("injection");
            injection.put("score", scan.score());
            injection.put("verdict", scan.level().label());
            injection.put("ruleScore", scan.ruleScore());
            injection.put("modelScore", scan.modelScore());
            ArrayNode fired = injection.putArray("fired");
            for (Signal signal : scan.fired()) {
                ObjectNode s = fired.addObject();
                s.put("id", signal.id());
                s.put("kind", signal.kind());
                s.put("score", signal.score());
                s.put("view", signal.view());
            }
        }
        return node;
    }

    /** The JSON object of a line that could not be scanned. */
    public ObjectNode error(int line, String message) {
        ObjectNode node = json.createObjectNode();
        node.put("line", line);
        node.put("error", message);
        return node;
    }
}

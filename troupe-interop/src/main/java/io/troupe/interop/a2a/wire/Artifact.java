package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An output of a task: its parts, with an id unique within the task. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Artifact(
        String artifactId,
        @Nullable String name,
        @Nullable String description,
        List<Part> parts,
        @Nullable ObjectNode metadata,
        @Nullable List<String> extensions) {

    /** The text of its text parts, joined by blank lines. */
    public String text() {
        return Part.textOf(parts);
    }
}

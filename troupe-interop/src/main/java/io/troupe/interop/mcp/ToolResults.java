package io.troupe.interop.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.troupe.api.tool.ToolResult;
import java.util.List;

/**
 * An MCP tool call's result as Troupe's {@link ToolResult}: text as it is, images, audio and resources as a short
 * description in brackets, anything else as its JSON; an error when the server says so ({@code isError}).
 */
final class ToolResults {
    private ToolResults() {}

    /** {@code result} as text: each content on a line of its own, the structured content when there is none. */
    static ToolResult of(McpSchema.CallToolResult result, ObjectMapper json) {
        StringBuilder text = new StringBuilder();
        for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            switch (content) {
                case McpSchema.TextContent t -> text.append(t.text());
                case McpSchema.ImageContent image ->
                    text.append("[image: ")
                            .append(image.mimeType())
                            .append(", ")
                            .append(image.data() == null ? 0 : image.data().length() * 3 / 4)
                            .append(" bytes]");
                case McpSchema.AudioContent audio ->
                    text.append("[audio: ").append(audio.mimeType()).append(']');
                case McpSchema.EmbeddedResource embedded -> {
                    if (embedded.resource() instanceof McpSchema.TextResourceContents resource) {
                        text.append(resource.text());
                    } else {
                        text.append("[resource: ")
                                .append(embedded.resource().uri())
                                .append(']');
                    }
                }
                case McpSchema.ResourceLink link ->
                    text.append("[resource: ").append(link.uri()).append(']');
                default -> text.append(write(content, json));
            }
        }
        if (text.isEmpty() && result.structuredContent() != null) {
            text.append(write(result.structuredContent(), json));
        }
        return Boolean.TRUE.equals(result.isError())
                ? ToolResult.error(text.toString())
                : ToolResult.ok(text.toString());
    }

    private static String write(Object value, ObjectMapper json) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}

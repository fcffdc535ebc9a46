package io.troupe.interop.a2a.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An agent's self-description, served at {@code /.well-known/agent-card.json}: who it is, where and how to reach it,
 * what it can do and how clients authenticate.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentCard(
        String name,
        String description,
        List<Interface> supportedInterfaces,
        @Nullable Provider provider,
        String version,
        @Nullable String documentationUrl,
        Capabilities capabilities,
        @Nullable Map<String, SecurityScheme> securitySchemes,
        @Nullable List<SecurityRequirement> securityRequirements,
        List<String> defaultInputModes,
        List<String> defaultOutputModes,
        List<Skill> skills,
        @Nullable String iconUrl) {

    /** Where the agent listens, with which binding ({@code JSONRPC}) and protocol version ({@code 1.0}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Interface(
            String url, String protocolBinding, @Nullable String tenant, String protocolVersion) {}

    /** Who provides the agent. */
    public record Provider(String url, String organization) {}

    /** The optional features the agent supports, and the extensions it understands. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Capabilities(
            @Nullable Boolean streaming,
            @Nullable Boolean pushNotifications,
            @Nullable List<Extension> extensions,
            @Nullable Boolean extendedAgentCard) {}

    /** An extension the agent supports, by URI. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Extension(
            String uri,
            @Nullable String description,
            boolean required,
            @Nullable ObjectNode params) {}

    /** One thing the agent is good at. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Skill(
            String id,
            String name,
            String description,
            List<String> tags,
            @Nullable List<String> examples,
            @Nullable List<String> inputModes,
            @Nullable List<String> outputModes) {}

    /** A way to authenticate; Troupe declares HTTP bearer authentication. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SecurityScheme(@Nullable HttpAuth httpAuthSecurityScheme) {}

    /** HTTP authentication with {@code scheme} (such as {@code Bearer}). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HttpAuth(
            @Nullable String description,
            String scheme,
            @Nullable String bearerFormat) {}

    /** The schemes a client must satisfy, with their scopes. */
    public record SecurityRequirement(Map<String, StringList> schemes) {}

    /** A list of strings (scopes). */
    public record StringList(List<String> list) {}

    /** Whether the agent declares extension {@code uri}. */
    public boolean supports(String uri) {
        List<Extension> declared = capabilities.extensions();
        return declared != null && declared.stream().anyMatch(e -> e.uri().equals(uri));
    }

    /** The URL of its JSON-RPC interface for protocol version {@code version}, if it has one. */
    public @Nullable String jsonRpcUrl(String version) {
        for (Interface candidate : supportedInterfaces) {
            if ("JSONRPC".equalsIgnoreCase(candidate.protocolBinding())
                    && version.equals(candidate.protocolVersion())) {
                return candidate.url();
            }
        }
        return null;
    }
}

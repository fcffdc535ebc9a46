package io.troupe.launch;

import io.troupe.config.McpServerConfig;
import io.troupe.config.ScenarioSpec;
import io.troupe.interop.mcp.McpServerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The MCP servers of a spec, as {@link McpServerSettings}: relative directories are resolved against the spec file. */
final class SpecMcp {
    private SpecMcp() {}

    static List<McpServerSettings> settings(ScenarioSpec spec, Path base) {
        List<McpServerSettings> servers = new ArrayList<>();
        for (McpServerConfig config : spec.mcpServers().values()) {
            McpServerSettings.Transport transport = switch (config) {
                case McpServerConfig.Stdio stdio ->
                    new McpServerSettings.Stdio(
                            stdio.command(),
                            stdio.env(),
                            stdio.directory() == null
                                    ? base
                                    : base.resolve(stdio.directory()).normalize());
                case McpServerConfig.Http http -> new McpServerSettings.Http(URI.create(http.url()), http.headers());
            };
            McpServerSettings settings =
                    McpServerSettings.of(config.name(), transport).withPrefix(config.prefix());
            if (config.tools() != null) {
                settings = settings.withTools(Set.copyOf(config.tools()));
            }
            if (config.timeout() != null) {
                settings = settings.withCallTimeout(config.timeout());
            }
            if (config.startTimeout() != null) {
                settings = settings.withStartTimeout(config.startTimeout());
            }
            servers.add(settings);
        }
        return servers;
    }
}

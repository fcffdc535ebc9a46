package io.troupe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.troupe.api.ConfigurationException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code troupe cluster}: commands about a running cluster, asked through one of its nodes' HTTP API. */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Shows a running Troupe cluster, through the HTTP API of one of its nodes.",
        subcommands = {ClusterCommand.Status.class})
final class ClusterCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("error: missing a command: 'troupe cluster status --url http://NODE:PORT'");
        return Main.USAGE;
    }

    /** {@code troupe cluster status}: members, their state and the conversations each holds. */
    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Prints the cluster's members as the node at --url sees them: address, membership status, whether it"
                        + " reaches them, and how many shards and conversations each holds.",
                "Exit codes: 0 every member is up and reachable, 1 some member is not, 3 the node cannot be reached."
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  troupe cluster status --url http://127.0.0.1:8081",
                "  TROUPE_API_TOKEN=... troupe cluster status --url http://node-1:8080 --json"
            })
    static final class Status implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Option(
                names = "--url",
                paramLabel = "URL",
                description = "The HTTP API of any node of the cluster (default: ${DEFAULT-VALUE}).")
        String url = "http://127.0.0.1:8080";

        @Option(
                names = "--token-file",
                paramLabel = "FILE",
                description = "A file holding the API's bearer token; or set TROUPE_API_TOKEN.")
        @Nullable
        Path tokenFile;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Override
        public Integer call() throws IOException, InterruptedException {
            URI uri = endpoint();
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "application/json");
            String token = token();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> response;
            try (HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()) {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("error: cannot reach a Troupe node at " + url + " (" + Main.describe(e)
                        + "); check --url and that 'troupe node' runs there");
                return Main.UNAVAILABLE;
            }
            if (response.statusCode() == 401) {
                System.err.println("error: the node at " + url + " needs its API token: give --token-file FILE or set"
                        + " TROUPE_API_TOKEN");
                return Main.USAGE;
            }
            if (response.statusCode() != 200) {
                System.err.println(
                        "error: the node at " + url + " answered " + response.statusCode() + ": " + response.body());
                return response.statusCode() == 404 ? Main.USAGE : Main.UNAVAILABLE;
            }
            JsonNode status = JSON.readTree(response.body());
            System.out.print(json ? response.body().strip() + "\n" : format(status));
            for (JsonNode member : status.path("members")) {
                if (!member.path("reachable").asBoolean()
                        || !"up".equals(member.path("status").asText())) {
                    return Main.RUN_FAILED;
                }
            }
            return Main.OK;
        }

        private URI endpoint() {
            try {
                URI base = URI.create(url.endsWith("/") ? url : url + "/");
                if (base.getScheme() == null || !base.getScheme().startsWith("http") || base.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return base.resolve("api/cluster");
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(
                        "--url '" + url + "' is not the address of a node's API, such as http://127.0.0.1:8080");
            }
        }

        private @Nullable String token() throws IOException {
            if (tokenFile != null) {
                if (!Files.isReadable(tokenFile)) {
                    throw new ConfigurationException("Cannot read the token file " + tokenFile);
                }
                return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            }
            String token = System.getenv("TROUPE_API_TOKEN");
            return token == null || token.isBlank() ? null : token.strip();
        }

        /** The status as a table, one member a line, this node marked with '*'. */
        static String format(JsonNode status) {
            StringBuilder out = new StringBuilder();
            out.append("Cluster as ")
                    .append(status.path("self").asText())
                    .append(" sees it; leader ")
                    .append(
                            status.path("leader").isNull()
                                    ? "none"
                                    : status.path("leader").asText())
                    .append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"  MEMBER", "STATUS", "REACHABLE", "SHARDS", "CONVERSATIONS"});
            int up = 0;
            for (JsonNode member : status.path("members")) {
                boolean reachable = member.path("reachable").asBoolean();
                up += reachable && member.path("status").asText().equals("up") ? 1 : 0;
                rows.add(new String[] {
                    (member.path("self").asBoolean() ? "* " : "  ")
                            + member.path("address").asText(),
                    member.path("status").asText(),
                    reachable ? "yes" : "NO",
                    count(member.path("shards").asInt()),
                    count(member.path("conversations").asInt())
                });
            }
            int[] widths = new int[5];
            for (String[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (String[] row : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < row.length; i++) {
                    line.append(String.format(
                            Locale.ROOT, i < 2 ? "%-" + widths[i] + "s  " : "%" + widths[i] + "s  ", row[i]));
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
            int members = status.path("members").size();
            int conversations = status.path("conversations").asInt();
            out.append(members)
                    .append(members == 1 ? " member, " : " members, ")
                    .append(up)
                    .append(" up and reachable; ")
                    .append(conversations < 0 ? "conversations unknown" : conversations + " conversations")
                    .append('\n');
            if (!status.path("problem").isNull() && status.has("problem")) {
                out.append("note: ").append(status.path("problem").asText()).append('\n');
            }
            return out.toString();
        }

        private static String count(int value) {
            return value < 0 ? "?" : Integer.toString(value);
        }
    }
}

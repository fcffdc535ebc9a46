package io.troupe.cli.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.troupe.testkit.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A Troupe cluster of node processes on 127.0.0.1 for the cluster tests: an embedded PostgreSQL (the journal, and the
 * effect tool's tables outside it), a loopback model that answers after a fixed latency, the {@code effect} plugin, a
 * spec folder with a five-agent pipeline in which three agents call the tool, and the nodes.
 *
 * <p>In proxied mode every node reaches every other through its own {@link TcpProxy}: node {@code i} knows node
 * {@code j} by the name {@code node-j}, which its own hosts file ({@code jdk.net.hosts.file}) maps to 127.0.i.j,
 * where the proxy for i→j listens and forwards to where j binds. Cutting a node closes every proxy to and from it.
 *
 * <p>A trigger records every journal write with the PostgreSQL application name of the connection (each node
 * connects as its own name) and the time: which node wrote each sequence number of each conversation.
 */
final class ClusterFixture implements AutoCloseable {
    /** The agents of the pipeline; those with an effect call the tool once. */
    static final List<String> AGENTS = List.of("a1", "a2", "a3", "a4", "a5");

    static final Set<String> EFFECT_AGENTS = Set.of("a1", "a3", "a5");

    /** Finished statuses of a run in the API. */
    private static final Set<String> FINISHED = Set.of("COMPLETED", "FAILED", "BUDGET_EXCEEDED", "CANCELLED");

    private final Path dir;
    private final EmbeddedPostgres postgres;
    private final PipelineModel model;
    private final Path specs;
    private final Path plugins;
    private final List<ClusterNode> nodes = new ArrayList<>();
    private final Map<String, TcpProxy> proxies = new LinkedHashMap<>();
    private final Map<String, String> status = new ConcurrentHashMap<>();

    ClusterFixture(Path dir, Duration modelLatency) throws IOException, SQLException {
        this.dir = dir;
        this.postgres = EmbeddedPostgres.builder().start();
        this.model = new PipelineModel(modelLatency);
        this.plugins = dir.resolve("plugins");
        EffectPlugin.build(dir, plugins);
        this.specs = Files.createDirectories(dir.resolve("specs"));
        StringBuilder spec = new StringBuilder("""
                troupe: 1
                name: pipeline
                models:
                  sim: { provider: openai, model: sim, base-url: "%s" }
                agents:
                """.formatted(model.baseUrl()));
        for (String agent : AGENTS) {
            spec.append("  - { id: ")
                    .append(agent)
                    .append(", model: sim")
                    .append(EFFECT_AGENTS.contains(agent) ? ", tools: [effect]" : "")
                    .append(", instructions: \"Agent ")
                    .append(agent)
                    .append(" of the pipeline.")
                    .append(EFFECT_AGENTS.contains(agent) ? " Apply your effect, then answer." : "")
                    .append("\" }\n");
        }
        spec.append("task: \"Run the pipeline\"\n");
        Files.writeString(specs.resolve("pipeline.yaml"), spec.toString());
        // One agent whose one tool call waits for a person: the nodes hold every 'ledger' call for approval.
        Files.writeString(specs.resolve("approval.yaml"), """
                troupe: 1
                name: approval
                models:
                  sim: { provider: openai, model: sim, base-url: "%s" }
                agents:
                  - { id: a1, model: sim, tools: [ledger], instructions: "Agent a1. Record it in the ledger." }
                task: "Record the payment"
                """.formatted(model.baseUrl()));
        sql(EffectPlugin.SCHEMA);
    }

    /**
     * How the nodes of a cluster are started.
     *
     * @param downing the nodes' downing options; {@link #downingOptions()} by default
     */
    record Options(int nodes, boolean proxied, List<String> downing) {
        static Options plain(int nodes) {
            return new Options(nodes, false, downingOptions());
        }

        static Options proxied(int nodes) {
            return new Options(nodes, true, downingOptions());
        }
    }

    /**
     * The downing settings of the test clusters: by default, tolerant ones (a 10 s heartbeat pause and 10 s of
     * stability), since CI machines stall JVMs for seconds and a node downed by a stall would fail a test about
     * something else; {@code -Dtroupe.cluster.downing=default} uses the product's defaults (3 s, 4 s, a 2 s margin)
     * and {@code fastest} the fastest safe settings (2 s, 3 s, 2 s), for the recovery figures.
     */
    static List<String> downingOptions() {
        return switch (System.getProperty("troupe.cluster.downing", "ci")) {
            case "default" -> List.of();
            case "fastest" -> List.of("--heartbeat-pause", "2", "--stable-after", "3", "--down-removal-margin", "2");
            default -> List.of("--heartbeat-pause", "10", "--stable-after", "10", "--down-removal-margin", "3");
        };
    }

    /**
     * Starts the nodes, the first alone (it forms the cluster and creates the journal's tables, which the test then
     * audits), then the others, and waits until every one is an up member.
     */
    List<ClusterNode> start(Options options) throws Exception {
        int n = options.nodes();
        int[] ports = FreePorts.loopback(3 * n); // at once, so that none repeats
        int[] http = Arrays.copyOfRange(ports, 0, n);
        int[] cluster = Arrays.copyOfRange(ports, n, 2 * n);
        int[] bind = Arrays.copyOfRange(ports, 2 * n, 3 * n);
        List<String> seeds = new ArrayList<>();
        for (int j = 1; j <= n; j++) {
            seeds.add((options.proxied() ? "node-" + j : "127.0.0.1") + ":" + cluster[j - 1]);
        }
        for (int i = 1; i <= n; i++) {
            List<String> jvm = new ArrayList<>();
            List<String> args = new ArrayList<>(List.of(
                    "--port", Integer.toString(http[i - 1]),
                    "--cluster-port", Integer.toString(cluster[i - 1]),
                    "--seed", String.join(",", seeds),
                    "--journal", journalUrl("node" + i),
                    "--spec-dir", specs.toString(),
                    "--plugins", plugins.toString(),
                    "--require-approval", "ledger"));
            args.addAll(options.downing());
            if (options.proxied()) {
                args.addAll(List.of("--cluster-host", "node-" + i, "--cluster-bind", "127.0.0.1:" + bind[i - 1]));
                Path hosts = dir.resolve("hosts-" + i);
                StringBuilder lines = new StringBuilder("127.0.0.1 localhost\n");
                lines.append("127.0.0.1 ")
                        .append(InetAddress.getLocalHost().getHostName())
                        .append('\n');
                for (int j = 1; j <= n; j++) {
                    lines.append("127.0.")
                            .append(i)
                            .append('.')
                            .append(j)
                            .append(" node-")
                            .append(j)
                            .append('\n');
                    if (i != j) {
                        proxies.put(
                                i + ">" + j,
                                new TcpProxy(
                                        "127.0." + i + "." + j,
                                        cluster[j - 1],
                                        new InetSocketAddress("127.0.0.1", bind[j - 1])));
                    }
                }
                Files.writeString(hosts, lines.toString());
                jvm.add("-Djdk.net.hosts.file=" + hosts);
            } else {
                args.addAll(List.of("--cluster-host", "127.0.0.1"));
            }
            nodes.add(new ClusterNode(
                    "node" + i,
                    http[i - 1],
                    jvm,
                    args,
                    Map.of(
                            "TROUPE_JOURNAL_USER",
                            "postgres",
                            "TROUPE_EFFECTS_URL",
                            databaseUrl(null),
                            "TROUPE_TEST_NODE",
                            "node" + i,
                            "TROUPE_HOME",
                            Files.createDirectories(dir.resolve("home-" + i)).toString()),
                    Files.createDirectories(dir.resolve("logs"))));
        }
        nodes.getFirst().start();
        awaitReady(nodes.getFirst(), Duration.ofMinutes(4));
        auditJournalWrites();
        for (ClusterNode node : nodes.subList(1, n)) {
            node.start();
        }
        for (ClusterNode node : nodes) {
            awaitReady(node, Duration.ofMinutes(4));
        }
        awaitMembers(nodes.getFirst(), n, Duration.ofMinutes(2));
        return List.copyOf(nodes);
    }

    /** The JDBC URL of the journal for node {@code name}: it connects under its own application name. */
    private String journalUrl(String name) {
        return databaseUrl(name);
    }

    private String databaseUrl(String applicationName) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres"
                + (applicationName == null ? "" : "&ApplicationName=" + applicationName);
    }

    static void awaitReady(ClusterNode node, Duration limit) {
        try {
            awaitReadyWithin(node, limit);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + ": " + node.readiness() + "\n" + node.tail(), e);
        }
    }

    private static void awaitReadyWithin(ClusterNode node, Duration limit) {
        Awaitility.await(node + " ready")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    if (!node.alive()) {
                        throw new AssertionError(node + " exited before it was ready; its log:\n" + node.tail());
                    }
                    return node.ready();
                });
    }

    /** Waits until {@code via} sees {@code count} members, every one up and reachable. */
    static void awaitMembers(ClusterNode via, int count, Duration limit) {
        try {
            awaitMembersWithin(via, count, limit);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + via.tail(), e);
        }
    }

    private static void awaitMembersWithin(ClusterNode via, int count, Duration limit) {
        Awaitility.await(via + " sees " + count + " up and reachable members")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    JsonNode members = via.get("/api/cluster").path("members");
                    int up = 0;
                    for (JsonNode member : members) {
                        up += member.path("status").asText().equals("up")
                                        && member.path("reachable").asBoolean()
                                ? 1
                                : 0;
                    }
                    return up == count && members.size() == count;
                });
    }

    /** Records every journal write: sequence number, writer incarnation, node (application name) and time. */
    private void auditJournalWrites() throws SQLException {
        sql("""
                CREATE TABLE journal_writes(
                  persistence_id TEXT NOT NULL,
                  sequence_number BIGINT NOT NULL,
                  writer TEXT NOT NULL,
                  node TEXT NOT NULL,
                  at TIMESTAMPTZ NOT NULL);
                CREATE FUNCTION audit_journal_write() RETURNS trigger AS $$
                BEGIN
                  INSERT INTO journal_writes VALUES (NEW.persistence_id, NEW.sequence_number, NEW.writer,
                    current_setting('application_name'), clock_timestamp());
                  RETURN NEW;
                END $$ LANGUAGE plpgsql;
                CREATE TRIGGER audit_journal_write AFTER INSERT ON event_journal
                  FOR EACH ROW EXECUTE FUNCTION audit_journal_write();
                """);
    }

    /** Starts a run of the pipeline through {@code via}'s API; its id. */
    String startRun(ClusterNode via) throws IOException {
        return startRun(via, "pipeline");
    }

    /** Starts a run of the spec {@code spec} through {@code via}'s API; its id. */
    String startRun(ClusterNode via, String spec) throws IOException {
        String id = via.post("/api/runs", "{\"spec\": \"" + spec + "\"}", 201)
                .path("id")
                .asText();
        status.put(id, "RUNNING");
        return id;
    }

    /**
     * Waits until every run in {@code ids} has finished, asking the nodes that {@code via} gives (any node answers for
     * any run); returns when the last one was seen finished.
     */
    Instant awaitFinished(Collection<String> ids, Supplier<List<ClusterNode>> via, Duration limit) {
        AtomicReference<Instant> last = new AtomicReference<>(Instant.now());
        // Asked through the API, as a client without a stream would.
        withLogs(() -> Awaitility.await(ids.size() + " runs finished")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    List<String> open = open(ids);
                    if (!open.isEmpty() && !poll(open, via.get()).isEmpty()) {
                        last.set(Instant.now());
                    }
                    return open(ids).isEmpty();
                }));
        return last.get();
    }

    private List<String> open(Collection<String> ids) {
        return ids.stream()
                .filter(id -> !FINISHED.contains(status.getOrDefault(id, "RUNNING")))
                .toList();
    }

    /** Asks the nodes {@code via} (in turn) for each run in {@code ids}; the runs now seen finished. */
    List<String> poll(Collection<String> ids, List<ClusterNode> via) {
        List<String> finished = new ArrayList<>();
        int turn = 0;
        for (String id : ids) {
            ClusterNode node = via.get(turn++ % via.size());
            try {
                String now = node.get("/api/runs/" + id).path("status").asText();
                status.put(id, now);
                if (FINISHED.contains(now)) {
                    finished.add(id);
                }
            } catch (IOException e) {
                // that node is busy or gone; another answers next round
            }
        }
        return finished;
    }

    /** Waits until the effect tool has applied {@code count} effects in all. */
    static void awaitEffects(ClusterFixture cluster, long count) {
        cluster.withLogs(() -> Awaitility.await(count + " effects applied in all")
                .atMost(Duration.ofMinutes(4))
                .pollInterval(Duration.ofMillis(100))
                .until(cluster::effectTotal, total -> total >= count));
    }

    /** Runs {@code wait}; when it times out, fails with the nodes' logs. */
    void withLogs(Runnable wait) {
        try {
            wait.run();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + logs(), e);
        }
    }

    /** The status of each run, as last seen. */
    Map<String, String> statuses() {
        return Map.copyOf(status);
    }

    /** The effects recorded per run: run id to the agents whose effect was applied. */
    Map<String, List<String>> effects() throws SQLException {
        Map<String, List<String>> effects = new HashMap<>();
        for (List<String> row : query("SELECT conversation_id, agent FROM effects ORDER BY conversation_id, agent")) {
            effects.computeIfAbsent(row.get(0), id -> new ArrayList<>()).add(row.get(1));
        }
        return effects;
    }

    /** How many effects the tool applied in all. */
    long effectTotal() throws SQLException {
        return Long.parseLong(query("SELECT total FROM effect_total").getFirst().getFirst());
    }

    /** How many times the tool was called, with any key. */
    long effectCalls() throws SQLException {
        return Long.parseLong(
                query("SELECT count(*) FROM effect_calls").getFirst().getFirst());
    }

    /** One audited journal write. */
    record Write(String conversation, long seq, String writer, String node, Instant at) {}

    /** Every audited write to a conversation's journal, by conversation and sequence number. */
    List<Write> conversationWrites() throws SQLException {
        List<Write> writes = new ArrayList<>();
        try (Connection db = connect();
                Statement statement = db.createStatement();
                ResultSet rows = statement.executeQuery("SELECT persistence_id, sequence_number, writer, node, at"
                        + " FROM journal_writes WHERE persistence_id LIKE 'Conversation|%'"
                        + " ORDER BY persistence_id, sequence_number, at")) {
            while (rows.next()) {
                writes.add(new Write(
                        rows.getString(1).substring("Conversation|".length()),
                        rows.getLong(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getTimestamp(5).toInstant()));
            }
        }
        return writes;
    }

    /** The node that last wrote each unfinished conversation, as the audit saw it. */
    Map<String, String> lastWriter() throws SQLException {
        Map<String, String> last = new HashMap<>();
        for (Write write : conversationWrites()) {
            last.put(write.conversation(), write.node());
        }
        return last;
    }

    /** Cuts node {@code index} (1-based) off from every other: both directions of every link. */
    void cut(int index) {
        proxies.forEach((link, proxy) -> {
            if (involves(link, index)) {
                proxy.cut();
            }
        });
    }

    /** Heals every link of node {@code index}. */
    void heal(int index) {
        proxies.forEach((link, proxy) -> {
            if (involves(link, index)) {
                proxy.heal();
            }
        });
    }

    private static boolean involves(String link, int index) {
        String[] ends = link.split(">");
        return ends[0].equals(Integer.toString(index)) || ends[1].equals(Integer.toString(index));
    }

    List<ClusterNode> nodes() {
        return List.copyOf(nodes);
    }

    /** The loopback model the specs use. */
    PipelineModel model() {
        return model;
    }

    /** The logs of every node, for a failing assertion. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (ClusterNode node : nodes) {
            all.append(node.tail()).append('\n');
        }
        return all.toString();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(databaseUrl("test"));
    }

    private void sql(String script) throws SQLException {
        try (Connection db = connect();
                Statement statement = db.createStatement()) {
            statement.execute(script);
        }
    }

    List<List<String>> query(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection db = connect();
                Statement statement = db.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Override
    public void close() throws Exception {
        for (ClusterNode node : nodes) {
            node.close();
        }
        // Keep the nodes' logs where a build's reports are, for the failure at hand.
        Path kept = Path.of(
                System.getProperty("troupe.cli.target", "target"),
                "cluster-logs",
                dir.getFileName().toString());
        Files.createDirectories(kept);
        try (var logs = Files.list(dir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        proxies.values().forEach(TcpProxy::close);
        model.close();
        postgres.close();
    }
}

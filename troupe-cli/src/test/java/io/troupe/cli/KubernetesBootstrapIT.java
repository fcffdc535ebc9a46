package io.troupe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.troupe.testkit.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code troupe node --discovery kubernetes} JVMs on 127.0.0.1 form one cluster through Pekko Cluster
 * Bootstrap, finding each other through the Kubernetes API, here fabric8's mock API server (over HTTPS, with a CA
 * file and a bearer token as a pod has them), which serves their pods; they share an embedded PostgreSQL journal.
 *
 * <p>The mock also holds a pod of another application and a pending pod of this one; each has a listener on its
 * management port, and Bootstrap must never probe them. Once formed, every node reports three {@code up} members
 * with the same leader, Pekko Management's {@code /ready} and {@code /alive} answer 200, and a run started through one
 * node's API completes and is read through another's.
 */
class KubernetesBootstrapIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NAMESPACE = "troupe-test";
    private static final String TOKEN = "kubernetes-token-of-the-troupe-service-account";
    private static final Duration FORMED = Duration.ofSeconds(330);
    private static final int NODES = 3;

    private static KubernetesMockServer kubernetes;
    private static KubernetesClient client;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> nodes = new ArrayList<>();
    private final List<HttpServer> decoys = new ArrayList<>();
    private EmbeddedPostgres postgres;

    /**
     * The mock API server over HTTPS in CRUD mode (it stores the pods and filters lists by label). Its answers lack
     * the {@code Content-Type: application/json} of a real API server, which Pekko's discovery requires, so the
     * dispatcher adds it.
     */
    @BeforeAll
    static void startKubernetes() {
        KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
        Dispatcher json = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse response = crud.dispatch(request);
                if (response.header("Content-Type") == null) {
                    response.setHeader("Content-Type", "application/json");
                }
                return response;
            }
        };
        kubernetes = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), json, true);
        kubernetes.init();
        client = kubernetes.createClient();
    }

    @AfterAll
    static void stopKubernetes() {
        client.close();
        kubernetes.destroy();
    }

    @AfterEach
    void stop() throws Exception {
        for (Process node : nodes) {
            node.destroy();
        }
        for (Process node : nodes) {
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        decoys.forEach(decoy -> decoy.stop(0));
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void threeNodes_formOneCluster_throughKubernetesApiDiscovery(@TempDir Path dir) throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        String journal = "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres";
        Path ca = Path.of(kubernetes.getSelfSignedCertificate().certificatePath());
        Path token = Files.writeString(dir.resolve("token"), TOKEN);

        // All at once: ports taken in separate calls may repeat, as each call frees its ports before returning.
        int[] ports = FreePorts.loopback(3 * NODES);
        int[] clusterPorts = java.util.Arrays.copyOfRange(ports, 0, NODES);
        int[] managementPorts = java.util.Arrays.copyOfRange(ports, NODES, 2 * NODES);
        int[] httpPorts = java.util.Arrays.copyOfRange(ports, 2 * NODES, 3 * NODES);
        for (int i = 0; i < NODES; i++) {
            createPod("troupe-" + i, "troupe", "Running", managementPorts[i]);
        }
        AtomicInteger decoyProbes = new AtomicInteger();
        createPod("other-app-0", "other-app", "Running", decoy(decoyProbes));
        createPod("troupe-pending", "troupe", "Pending", decoy(decoyProbes));
        assertThat(client.pods()
                        .inNamespace(NAMESPACE)
                        .withLabel("app.kubernetes.io/name", "troupe")
                        .list()
                        .getItems())
                .as("the mock API serves the pods with their status")
                .hasSize(NODES + 1)
                .allSatisfy(pod -> assertThat(pod.getStatus().getPodIP()).isEqualTo("127.0.0.1"));

        try (LoopbackModel model = new LoopbackModel(LoopbackModel.Reply.text("The cluster answers.", 10, 5))) {
            Path specs = Files.createDirectories(dir.resolve("specs"));
            Files.writeString(specs.resolve("pair.yaml"), """
                    troupe: 1
                    name: pair
                    models:
                      loop: { provider: openai, model: loop, base-url: "%s" }
                    agents:
                      - { id: writer, model: loop, instructions: "Write." }
                      - { id: editor, model: loop, instructions: "Edit." }
                    task: "A lighthouse"
                    """.formatted(model.baseUrl()));
            long start = System.nanoTime();
            for (int i = 0; i < NODES; i++) {
                nodes.add(Cli.start(
                        env -> {
                            env.put("KUBERNETES_SERVICE_HOST", "localhost");
                            env.put("KUBERNETES_SERVICE_PORT", String.valueOf(kubernetes.getPort()));
                            env.put("TROUPE_JOURNAL_USER", "postgres");
                            env.remove("TROUPE_DISCOVERY");
                        },
                        dir.resolve("node-" + i + ".err"),
                        "node",
                        "--discovery",
                        "kubernetes",
                        "--namespace",
                        NAMESPACE,
                        "--required-contact-points",
                        String.valueOf(NODES),
                        "--kubernetes-ca",
                        ca.toString(),
                        "--kubernetes-token",
                        token.toString(),
                        "--cluster-host",
                        "127.0.0.1",
                        "--cluster-port",
                        String.valueOf(clusterPorts[i]),
                        "--management-port",
                        String.valueOf(managementPorts[i]),
                        "--port",
                        String.valueOf(httpPorts[i]),
                        "--journal",
                        journal,
                        "--spec-dir",
                        specs.toString()));
            }

            Set<String> addresses = java.util.Arrays.stream(clusterPorts)
                    .mapToObj(port -> "pekko://troupe@127.0.0.1:" + port)
                    .collect(Collectors.toSet());
            for (int i = 0; i < NODES; i++) {
                int node = i;
                await().atMost(FORMED)
                        .pollInterval(Duration.ofSeconds(2))
                        .failFast(() -> assertThat(nodes)
                                .as(() -> "a node exited; " + logs(dir))
                                .allMatch(Process::isAlive))
                        .untilAsserted(() -> assertThat(get(managementPorts[node], "/ready"))
                                .as(() -> logs(dir))
                                .isEqualTo(200));
            }

            System.out.printf(
                    "Three node JVMs were ready in one cluster %.1f s after they were started%n",
                    (System.nanoTime() - start) / 1e9);

            String leader = null;
            for (int i = 0; i < NODES; i++) {
                assertThat(get(managementPorts[i], "/alive")).isEqualTo(200);
                JsonNode members = json(managementPorts[i], "/cluster/members");
                assertThat(members.path("members"))
                        .as("node %d sees every node as an up member", i)
                        .extracting(member -> member.path("node").asText() + " "
                                + member.path("status").asText())
                        .containsExactlyInAnyOrderElementsOf(
                                addresses.stream().map(a -> a + " Up").toList());
                assertThat(members.path("unreachable")).isEmpty();
                if (leader == null) {
                    leader = members.path("leader").asText();
                }
                assertThat(members.path("leader").asText())
                        .as("one cluster: every node names the same leader")
                        .isEqualTo(leader);

                JsonNode ready = json(httpPorts[i], "/health/ready");
                assertThat(ready.path("status").asText()).isEqualTo("ready");
                assertThat(ready.path("journal").path("reachable").asBoolean()).isTrue();
                assertThat(ready.path("members")).hasSize(NODES);
            }
            assertThat(decoyProbes.get())
                    .as("Bootstrap never probes a pod outside the selector, or one that is not running")
                    .isZero();

            List<RecordedRequest> lists = podListRequests();
            assertThat(lists).as("Bootstrap listed the pods through the API").isNotEmpty();
            assertThat(lists).allSatisfy(request -> {
                assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
                assertThat(URI.create(request.getPath()).getQuery())
                        .isEqualTo("labelSelector=app.kubernetes.io/name=troupe");
            });

            HttpResponse<String> started = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPorts[2] + "/api/runs"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"spec\": \"pair\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
            String id = JSON.readTree(started.body()).path("id").asText();
            JsonNode done;
            try {
                done = await().atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(200))
                        .failFast(() -> assertThat(nodes)
                                .as(() -> "a node exited; " + logs(dir))
                                .allMatch(Process::isAlive))
                        .until(
                                () -> json(httpPorts[0], "/api/runs/" + id),
                                run -> run.path("status").asText().equals("COMPLETED"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(
                        "The run did not complete; the model had "
                                + model.requests().size() + " requests; "
                                + json(httpPorts[2], "/api/runs/" + id + "/events") + "; " + logs(dir),
                        e);
            }
            assertThat(done.path("outcome").path("result").asText()).contains("The cluster answers.");
        }
    }

    private static void createPod(String name, String app, String phase, int managementPort) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/name", app))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("troupe")
                .withImage("troupe:test")
                .addNewPort()
                .withName("management")
                .withContainerPort(managementPort)
                .endPort()
                .addNewPort()
                .withName("http")
                .withContainerPort(8080)
                .endPort()
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase(phase)
                .withPodIP("127.0.0.1")
                .endStatus()
                .build();
        client.pods().inNamespace(NAMESPACE).resource(pod).create();
    }

    /** A listener on a free port that counts the requests it gets; returns its port. */
    private int decoy(AtomicInteger probes) throws IOException {
        HttpServer decoy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        decoy.createContext("/", exchange -> {
            probes.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        decoy.start();
        decoys.add(decoy);
        return decoy.getAddress().getPort();
    }

    /** The pod lists that Pekko asked the mock API for (the test's own client asks too, without a selector). */
    private static List<RecordedRequest> podListRequests() throws InterruptedException {
        List<RecordedRequest> lists = new ArrayList<>();
        RecordedRequest request;
        while ((request = kubernetes.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            String userAgent = request.getHeader("User-Agent");
            if (request.getMethod().equals("GET") && userAgent != null && userAgent.startsWith("pekko-http")) {
                lists.add(request);
            }
        }
        return lists;
    }

    private int get(int port, String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(5))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private JsonNode json(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private static String logs(Path dir) {
        StringBuilder text = new StringBuilder("node logs:");
        for (int i = 0; i < NODES; i++) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve("node-" + i + ".err"), StandardCharsets.UTF_8);
                text.append("\n--- node ").append(i).append('\n');
                lines.subList(Math.max(0, lines.size() - 80), lines.size())
                        .forEach(line -> text.append(line).append('\n'));
            } catch (IOException e) {
                text.append("\n--- node ").append(i).append(": ").append(e.getMessage());
            }
        }
        return text.toString();
    }
}

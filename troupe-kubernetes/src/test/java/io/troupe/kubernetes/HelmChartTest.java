package io.troupe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Helm chart in {@code deploy/helm/troupe}, rendered by a real {@code helm template} (3.17): it passes {@code
 * helm lint --strict}; every manifest is a known Kubernetes kind whose fields all belong to its schema (fabric8's
 * Kubernetes model, strictly: an unknown field or a value of the wrong type fails); and it holds what a cluster of
 * Troupe nodes needs: Cluster Bootstrap's settings with a selector that matches the pods, RBAC for listing pods,
 * probes on Pekko Management's health checks, a PodDisruptionBudget, and secret references that resolve.
 */
class HelmChartTest {
    private static final String RELEASE = "agents";
    private static final String NAMESPACE = "ai";
    private static final String VALUES =
            Helm.CHART.resolve("ci/test-values.yaml").toString();
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    @TempDir
    static Path home;

    static Helm helm;

    @BeforeAll
    static void findHelm() throws Exception {
        helm = Helm.find(home);
    }

    /** The rendered manifests, each parsed into its fabric8 model class. */
    private static List<HasMetadata> render(String... args) throws Exception {
        String yaml = helm.template(RELEASE, NAMESPACE, args);
        List<HasMetadata> manifests = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            if (document.lines().allMatch(line -> line.isBlank() || line.strip().startsWith("#"))) {
                continue;
            }
            Object parsed = SERIALIZATION.unmarshal(document);
            assertThat(parsed)
                    .as("a known Kubernetes kind, not a generic resource:\n%s", document)
                    .isInstanceOf(HasMetadata.class)
                    .isNotInstanceOf(GenericKubernetesResource.class);
            manifests.add((HasMetadata) parsed);
        }
        return manifests;
    }

    private static <T extends HasMetadata> T only(List<HasMetadata> manifests, Class<T> kind) {
        List<T> found =
                manifests.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as("one %s", kind.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    private static Container container(List<HasMetadata> manifests) {
        List<Container> containers = only(manifests, Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers();
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    /** The value of {@code --name=value} among the container's arguments. */
    private static String argument(Container container, String name) {
        return container.getArgs().stream()
                .filter(arg -> arg.startsWith(name + "="))
                .map(arg -> arg.substring(name.length() + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + container.getArgs()));
    }

    @Test
    void chart_passesHelmLint() throws Exception {
        Helm.Result lint = helm.run("lint", Helm.CHART.toString(), "--strict", "--namespace", NAMESPACE, "-f", VALUES);

        assertThat(lint.exitCode()).as(lint.describe()).isZero();
        assertThat(lint.stdout()).contains("1 chart(s) linted, 0 chart(s) failed");
    }

    @Test
    void everyManifest_isValidAgainstTheKubernetesSchema() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);

        assertThat(manifests)
                .extracting(HasMetadata::getKind)
                .containsExactlyInAnyOrder(
                        "ServiceAccount",
                        "Secret",
                        "ConfigMap",
                        "Role",
                        "RoleBinding",
                        "Service",
                        "Deployment",
                        "PodDisruptionBudget");
        for (HasMetadata manifest : manifests) {
            assertThat(unknownFields(manifest))
                    .as(
                            "fields of %s/%s outside its schema (unknown, or of the wrong type)",
                            manifest.getKind(), manifest.getMetadata().getName())
                    .isEmpty();
            assertThat(manifest.getMetadata().getName()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
            assertThat(manifest.getMetadata().getLabels())
                    .containsEntry("app.kubernetes.io/name", "troupe")
                    .containsEntry("app.kubernetes.io/instance", RELEASE);
        }
        Container container = container(manifests);
        assertThat(container.getName()).isNotBlank();
        assertThat(container.getImage()).isEqualTo("troupe:0.1.0-SNAPSHOT");
        assertThat(container.getPorts())
                .allSatisfy(port -> assertThat(port.getName()).hasSizeLessThanOrEqualTo(15));
    }

    @Test
    void deployment_bootstrapsTheClusterThroughTheKubernetesApi_withASelectorThatMatchesItsPods() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES, "--set", "replicaCount=5");
        Deployment deployment = only(manifests, Deployment.class);
        Container container = container(manifests);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(5);
        assertThat(container.getArgs()).startsWith("node").contains("--discovery=kubernetes");
        assertThat(argument(container, "--required-contact-points"))
                .as("a new cluster forms only when every replica answers")
                .isEqualTo("5");
        assertThat(argument(container, "--cluster-host")).isEqualTo("$(POD_IP)");
        assertThat(argument(container, "--journal")).isEqualTo("$(TROUPE_JOURNAL_URL)");
        assertThat(argument(container, "--host")).isEqualTo("0.0.0.0");
        assertThat(argument(container, "--downing")).isEqualTo("keep-majority");
        assertThat(Integer.parseInt(argument(container, "--stable-after")))
                .as("Pekko's guidance for the split-brain resolver: stable-after of at least 10 s")
                .isEqualTo(20);
        assertThat(argument(container, "--heartbeat-pause")).isEqualTo("5");
        assertThat(argument(container, "--down-removal-margin")).isEqualTo("10");
        assertThat(container.getEnv())
                .filteredOn(env -> env.getName().equals("POD_IP"))
                .singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getFieldRef().getFieldPath())
                        .isEqualTo("status.podIP"));

        PodSelector pods = new PodSelector(
                argument(container, "--service-name"),
                argument(container, "--pod-selector"),
                null,
                Integer.parseInt(argument(container, "--required-contact-points")));
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels(pods.effectiveSelector()))
                .as("the pods Bootstrap lists are this release's pods")
                .isEqualTo(Map.of("app.kubernetes.io/name", "troupe", "app.kubernetes.io/instance", RELEASE));
        assertThat(podLabels).containsAllEntriesOf(labels(pods.effectiveSelector()));
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(labels(pods.effectiveSelector()));

        ContainerPort management = container.getPorts().stream()
                .filter(port -> port.getName().equals(PodSelector.PORT_NAME))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no port named " + PodSelector.PORT_NAME));
        assertThat(management.getContainerPort()).isEqualTo(ManagementEndpoint.DEFAULT_PORT);
        assertThat(argument(container, "--management-port")).isEqualTo(String.valueOf(ManagementEndpoint.DEFAULT_PORT));
        assertThat(container.getPorts())
                .extracting(ContainerPort::getName)
                .containsExactlyInAnyOrder("http", "management", "remoting");
    }

    @Test
    void telemetry_otlpEndpointFromTheValues_isGivenToTheNodesAsTheOpenTelemetryVariables() throws Exception {
        Container exporting = container(render(
                "-f",
                VALUES,
                "--set",
                "telemetry.otlpEndpoint=http://otel-collector.observability:4318",
                "--set",
                "telemetry.serviceName=troupe-eu",
                "--set",
                "telemetry.sampleRatio=0.1"));
        assertThat(exporting.getEnv())
                .filteredOn(env -> env.getName().startsWith("OTEL_"))
                .extracting(EnvVar::getName, EnvVar::getValue)
                .containsExactly(
                        org.assertj.core.api.Assertions.tuple(
                                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel-collector.observability:4318"),
                        org.assertj.core.api.Assertions.tuple("OTEL_SERVICE_NAME", "troupe-eu"),
                        org.assertj.core.api.Assertions.tuple("OTEL_TRACES_SAMPLER", "parentbased_traceidratio"),
                        org.assertj.core.api.Assertions.tuple("OTEL_TRACES_SAMPLER_ARG", "0.1"));
        assertThat(container(render("-f", VALUES, "--set", "telemetry.otlpEndpoint=http://collector:4318"))
                        .getEnv())
                .filteredOn(env -> env.getName().equals("OTEL_TRACES_SAMPLER_ARG"))
                .extracting(EnvVar::getValue)
                .as("every run traced by default")
                .containsExactly("1");

        Container quiet = container(render("-f", VALUES));
        assertThat(quiet.getEnv()).noneMatch(env -> env.getName().startsWith("OTEL_"));
    }

    @Test
    void probes_readPekkoManagementsHealthChecks() throws Exception {
        Container container = container(render("-f", VALUES));

        assertProbe(container.getReadinessProbe(), "/ready");
        assertProbe(container.getLivenessProbe(), "/alive");
        assertProbe(container.getStartupProbe(), "/alive");
        assertThat(container.getStartupProbe().getFailureThreshold()
                        * container.getStartupProbe().getPeriodSeconds())
                .as("seconds a node gets to start and join before its liveness counts")
                .isGreaterThanOrEqualTo(120);
    }

    private static void assertProbe(Probe probe, String path) {
        assertThat(probe).as("probe on %s", path).isNotNull();
        assertThat(probe.getHttpGet().getPath()).isEqualTo(path);
        assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo(PodSelector.PORT_NAME);
    }

    @Test
    void rbac_letsThePodsServiceAccountListPods_inItsNamespaceOnly() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);
        Role role = only(manifests, Role.class);
        RoleBinding binding = only(manifests, RoleBinding.class);
        ServiceAccount account = only(manifests, ServiceAccount.class);
        Deployment deployment = only(manifests, Deployment.class);

        assertThat(role.getRules()).singleElement().satisfies(rule -> {
            assertThat(rule.getApiGroups()).containsExactly("");
            assertThat(rule.getResources()).containsExactly("pods");
            assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "list", "watch");
        });
        assertThat(role.getRules())
                .flatExtracting(PolicyRule::getVerbs)
                .doesNotContain("create", "update", "patch", "delete", "*");
        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(account.getMetadata().getName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(deployment.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo(account.getMetadata().getName());
        assertThat(deployment.getSpec().getTemplate().getSpec().getAutomountServiceAccountToken())
                .as("Bootstrap reads the service account's token and CA")
                .isTrue();
    }

    @Test
    void secretReferences_allResolveToKeysOfTheRenderedSecret() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);
        Secret secret = only(manifests, Secret.class);
        Container container = container(manifests);

        assertThat(secret.getStringData())
                .containsOnlyKeys("journal-url", "journal-user", "journal-password", "api-token")
                .containsEntry("journal-url", "jdbc:postgresql://postgres.databases.svc:5432/troupe")
                .containsEntry("api-token", "0123456789abcdef0123456789abcdef");
        Map<String, String> fromSecret =
                secretReferences(container, secret.getMetadata().getName());
        assertThat(fromSecret)
                .containsEntry("TROUPE_JOURNAL_URL", "journal-url")
                .containsEntry("TROUPE_JOURNAL_USER", "journal-user")
                .containsEntry("TROUPE_JOURNAL_PASSWORD", "journal-password")
                .containsEntry("TROUPE_API_TOKEN", "api-token");
        assertThat(secret.getStringData()).containsKeys(fromSecret.values().toArray(String[]::new));
        assertThat(container.getEnv())
                .as("the user's own secret references pass through")
                .anySatisfy(env -> assertThat(env.getName()).isEqualTo("OPENAI_API_KEY"));
        assertThat(container.getArgs())
                .as("no credential on the command line")
                .noneMatch(arg -> arg.contains("s3cret") || arg.contains("0123456789abcdef"));
    }

    @Test
    void existingSecret_isReferenced_andNoSecretIsRendered() throws Exception {
        List<HasMetadata> manifests =
                render("--set", "secret.create=false", "--set", "secret.existingSecret=troupe-credentials");

        assertThat(manifests).noneMatch(Secret.class::isInstance);
        assertThat(secretReferences(container(manifests), "troupe-credentials"))
                .containsOnlyKeys(
                        "TROUPE_JOURNAL_URL", "TROUPE_JOURNAL_USER", "TROUPE_JOURNAL_PASSWORD", "TROUPE_API_TOKEN");
        assertThat(manifests).noneMatch(manifest -> manifest.getKind().equals("ConfigMap"));
        assertThat(container(manifests).getArgs()).noneMatch(arg -> arg.startsWith("--spec-dir"));
    }

    @Test
    void podDisruptionBudget_evictsOneNodeAtATime_andSelectsTheNodes() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);
        PodDisruptionBudget budget = only(manifests, PodDisruptionBudget.class);
        Deployment deployment = only(manifests, Deployment.class);

        assertThat(budget.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(budget.getSpec().getSelector().getMatchLabels())
                .isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment
                        .getSpec()
                        .getStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getIntVal())
                .as("a rollout adds a node before it removes one")
                .isZero();
    }

    @Test
    void service_exposesTheApiOnly() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);
        Service service = only(manifests, Service.class);

        assertThat(service.getSpec().getSelector())
                .isEqualTo(only(manifests, Deployment.class)
                        .getSpec()
                        .getSelector()
                        .getMatchLabels());
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getName()).isEqualTo("http");
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
    }

    @Test
    void specs_areMountedFromAConfigMap() throws Exception {
        List<HasMetadata> manifests = render("-f", VALUES);
        Container container = container(manifests);

        assertThat(argument(container, "--spec-dir")).isEqualTo("/etc/troupe/specs");
        assertThat(container.getVolumeMounts())
                .anySatisfy(mount -> assertThat(mount.getMountPath()).isEqualTo("/etc/troupe/specs"));
        HasMetadata configMap = manifests.stream()
                .filter(manifest -> manifest.getKind().equals("ConfigMap"))
                .findFirst()
                .orElseThrow();
        assertThat(((io.fabric8.kubernetes.api.model.ConfigMap) configMap).getData())
                .containsOnlyKeys("support.yaml")
                .hasEntrySatisfying("support.yaml", text -> assertThat(text).startsWith("troupe: 1\nname: support"));
    }

    @Test
    void missingOrUnsafeValues_failTheRender_withWhatToSet() throws Exception {
        assertRenderFails(
                List.of("--set", "secret.apiToken=0123456789abcdef"), "journal.url: give the PostgreSQL journal");
        assertRenderFails(
                List.of("--set", "journal.url=jdbc:postgresql://db/troupe"),
                "secret.apiToken: give the API's bearer token");
        assertRenderFails(
                List.of("--set", "journal.url=jdbc:postgresql://db/troupe", "--set", "secret.apiToken=short"),
                "at least 16 characters");
        assertRenderFails(
                List.of(
                        "--set",
                        "journal.url=jdbc:postgresql://db/troupe?password=x",
                        "--set",
                        "secret.apiToken=0123456789abcdef"),
                "must not hold a password");
        assertRenderFails(List.of("--set", "secret.create=false"), "secret.existingSecret: name the Secret");
        assertRenderFails(List.of("-f", VALUES, "--set", "cluster.stableAfter=4"), "at least 10 seconds");
        assertRenderFails(
                List.of("-f", VALUES, "--set", "cluster.heartbeatPause=8", "--set", "cluster.stableAfter=12"),
                "at least twice cluster.heartbeatPause");
        assertRenderFails(
                List.of("-f", VALUES, "--set", "cluster.downRemovalMargin=2"),
                "must be at least cluster.heartbeatPause");
    }

    private static void assertRenderFails(List<String> args, String message) throws Exception {
        List<String> all = new ArrayList<>(List.of("template", RELEASE, Helm.CHART.toString()));
        all.addAll(args);
        Helm.Result result = helm.run(all.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.describe()).isNotZero();
        assertThat(result.stderr()).contains(message);
    }

    private static Map<String, String> secretReferences(Container container, String secretName) {
        Map<String, String> references = new LinkedHashMap<>();
        for (EnvVar env : container.getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                if (env.getValueFrom().getSecretKeyRef().getName().equals(secretName)) {
                    references.put(
                            env.getName(), env.getValueFrom().getSecretKeyRef().getKey());
                }
            }
        }
        return references;
    }

    /** A simple equality label selector ({@code a=b,c=d}) as a map. */
    private static Map<String, String> labels(String selector) {
        return java.util.Arrays.stream(selector.split(","))
                .map(term -> term.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }

    /**
     * The paths of every field that fabric8's model could not place: unknown names, and values of the wrong type,
     * which fabric8 keeps aside in {@code additionalProperties} instead of failing.
     */
    private static List<String> unknownFields(Object root) {
        List<String> unknown = new ArrayList<>();
        walk(
                root,
                root.getClass().getSimpleName(),
                unknown,
                java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
        return unknown;
    }

    private static void walk(Object value, String path, List<String> unknown, Set<Object> seen) {
        if (value == null || !seen.add(value)) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", unknown, seen);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, unknown, seen));
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method method : value.getClass().getMethods()) {
            if (method.getParameterCount() != 0
                    || Modifier.isStatic(method.getModifiers())
                    || !method.getName().startsWith("get")
                    || method.getDeclaringClass() == Object.class) {
                continue;
            }
            Object child;
            try {
                child = method.invoke(value);
            } catch (ReflectiveOperationException e) {
                fail("cannot read " + path + "." + method.getName(), e);
                return;
            }
            if (method.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                }
            } else {
                walk(child, path + "." + method.getName().substring(3), unknown, seen);
            }
        }
    }
}

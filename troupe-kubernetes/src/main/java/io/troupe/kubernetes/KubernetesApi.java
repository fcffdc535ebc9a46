package io.troupe.kubernetes;

import io.troupe.api.Checks;
import java.nio.file.Path;

/**
 * How a node reaches the Kubernetes API to list its cluster's pods: the API server's CA certificate and a bearer
 * token, by default those Kubernetes mounts into every pod for its service account. The API server's address comes
 * from the environment ({@code KUBERNETES_SERVICE_HOST} and {@code KUBERNETES_SERVICE_PORT}, set in every pod). The
 * service account needs {@code get}, {@code list} and {@code watch} on {@code pods} (the Helm chart grants them).
 *
 * @param caCertificate the PEM file of the CA that signed the API server's certificate
 * @param token the file holding the bearer token
 */
public record KubernetesApi(Path caCertificate, Path token) {
    /** Where Kubernetes mounts a pod's service account. */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    public KubernetesApi {
        Checks.notNull(caCertificate, "Kubernetes API CA certificate");
        Checks.notNull(token, "Kubernetes API token");
    }

    /** The pod's own service account: {@code ca.crt} and {@code token} under {@link #SERVICE_ACCOUNT}. */
    public static KubernetesApi inPod() {
        return new KubernetesApi(SERVICE_ACCOUNT.resolve("ca.crt"), SERVICE_ACCOUNT.resolve("token"));
    }
}

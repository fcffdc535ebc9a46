package io.troupe.kubernetes;

import io.troupe.api.Checks;
import io.troupe.api.ConfigurationException;
import org.jspecify.annotations.Nullable;

/**
 * Which pods are the nodes of one cluster, as Cluster Bootstrap asks the Kubernetes API for them.
 *
 * <p>Bootstrap lists the pods that match {@code labelSelector} (with {@code %s} replaced by {@code serviceName}) in
 * {@code namespace}, keeps those that are running and have an IP, and probes each one's container port named
 * {@value #PORT_NAME}. A new cluster forms only once {@code requiredContactPoints} pods answer and have agreed for
 * a while (Pekko's stable margin, 5 s); then the pod with the lowest address forms it and the others join. Set it to
 * the number of replicas, so that pods starting at the same time never form two clusters; a pod that finds an
 * existing cluster joins it whatever the count.
 *
 * @param serviceName the value {@code %s} stands for in the selector, such as {@code troupe}
 * @param labelSelector a Kubernetes label selector, such as {@code app.kubernetes.io/name=%s}
 * @param namespace the namespace to list pods in, or null for the pod's own (read from its service account)
 * @param requiredContactPoints how many pods must answer before a new cluster forms; at least 1
 */
public record PodSelector(
        String serviceName, String labelSelector, @Nullable String namespace, int requiredContactPoints) {

    /** The name of the container port on which a pod's Pekko Management listens. */
    public static final String PORT_NAME = "management";

    /** The selector Troupe uses unless told otherwise; the Helm chart labels its pods so. */
    public static final String DEFAULT_LABEL_SELECTOR = "app.kubernetes.io/name=%s";

    private static final String DNS_LABEL = "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?";

    public PodSelector {
        Checks.notBlank(serviceName, "service name");
        if (!serviceName.matches(DNS_LABEL)) {
            throw new ConfigurationException("The service name '" + serviceName + "' is not a Kubernetes label value"
                    + " of lower-case letters, digits and '-' (at most 63, starting and ending with a letter or"
                    + " digit), such as troupe");
        }
        Checks.notBlank(labelSelector, "label selector");
        if (!labelSelector.matches("[A-Za-z0-9%=!,()./_ -]+")) {
            throw new ConfigurationException("The label selector '" + labelSelector + "' has characters a Kubernetes"
                    + " label selector cannot have; write it like app.kubernetes.io/name=%s,tier=agents");
        }
        if (namespace != null && !namespace.matches(DNS_LABEL)) {
            throw new ConfigurationException("The namespace '" + namespace + "' is not a Kubernetes namespace name"
                    + " (lower-case letters, digits and '-', at most 63)");
        }
        if (requiredContactPoints < 1) {
            throw new ConfigurationException("At least 1 pod must answer before a cluster forms; got "
                    + requiredContactPoints + " required contact points. Set it to the number of replicas");
        }
    }

    /** The pods labelled {@code app.kubernetes.io/name=SERVICE} in the pod's own namespace. */
    public static PodSelector of(String serviceName, int requiredContactPoints) {
        return new PodSelector(serviceName, DEFAULT_LABEL_SELECTOR, null, requiredContactPoints);
    }

    /** The selector as sent to the Kubernetes API, with the service name in place of {@code %s}. */
    public String effectiveSelector() {
        return labelSelector.replace("%s", serviceName);
    }
}

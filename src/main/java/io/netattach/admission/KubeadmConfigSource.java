package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.netattach.plan.ClusterNetworks;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * kubeadm's {@code kube-system/kubeadm-config} ConfigMap: {@code data.ClusterConfiguration} (YAML),
 * {@code networking.podSubnet} and {@code networking.serviceSubnet} (each a comma-separated list for
 * dual stack). RBAC: {@code get} on that one ConfigMap (a Role in kube-system with resourceNames).
 * Not watched: it changes only when kubeadm upgrades the cluster, and a watch would need
 * {@code list} and {@code watch} on it too; it is re-read every {@code netattach.cluster.refresh-period}.
 */
final class KubeadmConfigSource implements ClusterDiscoverySource {

    static final String NAME = "kubeadm-config";
    static final String NAMESPACE = "kube-system";
    static final String CONFIG_MAP = "kubeadm-config";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Optional<ClusterNetworkSource.Contribution> read(KubernetesClient client) {
        ConfigMap cm = client.configMaps().inNamespace(NAMESPACE).withName(CONFIG_MAP).get();
        if (cm == null) {
            return Optional.empty();
        }
        String text = cm.getData() == null ? null : cm.getData().get("ClusterConfiguration");
        if (text == null) {
            throw new IllegalArgumentException("no data.ClusterConfiguration");
        }
        return Optional.of(parse(text));
    }

    /** From the ClusterConfiguration YAML; throws {@link IllegalArgumentException} when it is malformed. */
    static ClusterNetworkSource.Contribution parse(String clusterConfiguration) {
        JsonNode root;
        try {
            root = YAML.readTree(clusterConfiguration);
        } catch (IOException e) {
            throw new IllegalArgumentException("data.ClusterConfiguration is not YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("data.ClusterConfiguration is not a YAML mapping");
        }
        JsonNode networking = root.path("networking");
        return new ClusterNetworkSource.Contribution(
                list(networking.path("podSubnet"), "networking.podSubnet"),
                list(networking.path("serviceSubnet"), "networking.serviceSubnet"));
    }

    private static List<io.netattach.cni.IpPrefix> list(JsonNode node, String what) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        if (!node.isTextual()) {
            throw new IllegalArgumentException(what + " is not a string");
        }
        return ClusterNetworks.parseList(node.asText(), what);
    }
}

package io.netattach.admission;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.netattach.catalog.CatalogProducer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Starts {@link ClusterNetworkDiscovery} when {@code netattach.cluster.discover} is true and a
 * cluster is configured (the same condition as the NAD catalog's cluster mode, see
 * {@link CatalogProducer}).
 */
@ApplicationScoped
public class ClusterNetworkDiscoveryStarter {

    private static final Logger LOG = Logger.getLogger(ClusterNetworkDiscoveryStarter.class);

    @Inject
    ClusterConfig config;

    @Inject
    ClusterNetworkSource source;

    @Inject
    Instance<KubernetesClient> clients;

    @ConfigProperty(name = "netattach.catalog.mode", defaultValue = "auto")
    String mode;

    @ConfigProperty(name = "quarkus.kubernetes-client.api-server-url")
    Optional<String> apiServerUrl;

    private volatile ClusterNetworkDiscovery discovery;

    void start(@Observes StartupEvent event) {
        if (!config.discover()) {
            LOG.info("cluster networks: discovery off (netattach.cluster.discover=false)");
            return;
        }
        CatalogProducer.Mode chosen = CatalogProducer.resolve(CatalogProducer.parseMode(mode), System.getenv("KUBERNETES_SERVICE_HOST"),
                System.getenv("KUBECONFIG"), System.getProperty("user.home"), apiServerUrl.isPresent());
        if (chosen != CatalogProducer.Mode.CLUSTER) {
            LOG.debug("cluster networks: no cluster configured, no discovery");
            return;
        }
        LOG.infof("cluster networks: discovering (OpenShift Network and Node podCIDRs watched, kubeadm-config),"
                + " every source re-read every %s", config.refreshPeriod());
        discovery = new ClusterNetworkDiscovery(clients.get(), source);
        discovery.start(config.refreshPeriod());
    }

    void stop(@Observes ShutdownEvent event) {
        ClusterNetworkDiscovery d = discovery;
        if (d != null) {
            d.close();
        }
    }
}

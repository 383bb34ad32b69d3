package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.catalog.NadCatalog;
import io.netattach.cni.IpPrefix;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.NamespaceNads;
import io.netattach.plan.ClusterNetworks;
import io.netattach.validation.NadValidator;
import io.netattach.validation.ValidationOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The seed against OpenShift's default cluster networks at NAD and pod admission, warn and deny. */
class ClusterNetworksAdmissionTest {

    private static final ClusterNetworks OPENSHIFT = ClusterNetworks.OPENSHIFT_DEFAULTS;
    private static final ClusterNetworks OPENSHIFT_DENY = OPENSHIFT.withPolicy(ClusterNetworks.RoutePolicy.DENY);

    private static AdmissionRequest request(String kind, JsonNode object) {
        return new AdmissionRequest("uid-1", Operation.CREATE, "", "v1", kind, "", "chain-example", "",
                object, null, false, null);
    }

    private static JsonNode nad(String file) throws Exception {
        return Reviews.manifest("deploy/examples/" + file);
    }

    private static NadValidationHandler nadHandler(ClusterNetworks cluster, NadLookup catalog) {
        return new NadValidationHandler(new NadValidator(ValidationOptions.defaults()), new ClusterNetworkSource(cluster), catalog);
    }

    private static List<NadInfo> seed() throws Exception {
        List<NadInfo> nads = new ArrayList<>();
        for (String file : List.of("management.yaml", "sip.yaml")) {
            nads.add(NadInfo.fromManifest(nad(file), "default"));
        }
        return nads;
    }

    @Test
    void theSeedNadsAreAdmittedOnOpenShiftWithOneCoverWarningEach() throws Exception {
        AdmissionResponse management = nadHandler(OPENSHIFT, null).handle(request("NetworkAttachmentDefinition", nad("management.yaml")));
        assertTrue(management.allowed());
        assertEquals(1, management.warnings().size(), management.warnings().toString());
        assertTrue(management.warnings().getFirst().startsWith("route 10.0.0.0/8 via"
                + " 192.168.100.1 covers the cluster's pod network 10.128.0.0/14"), management.warnings().toString());
        AdmissionResponse sip = nadHandler(OPENSHIFT, null).handle(request("NetworkAttachmentDefinition", nad("sip.yaml")));
        assertTrue(sip.allowed());
        assertEquals(1, sip.warnings().size(), sip.warnings().toString());
        assertTrue(sip.warnings().getFirst().startsWith("route 172.16.0.0/12 via 192.168.200.1"
                + " covers the cluster's service network"), sip.warnings().toString());
    }

    @Test
    void withoutClusterNetworksTheSeedNadsHaveNoWarning() throws Exception {
        AdmissionResponse r = nadHandler(ClusterNetworks.NONE, null).handle(request("NetworkAttachmentDefinition", nad("management.yaml")));
        assertTrue(r.allowed());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void routePolicyDenyDeniesTheSeedNadsWithTheReason() throws Exception {
        AdmissionResponse management = nadHandler(OPENSHIFT_DENY, null).handle(request("NetworkAttachmentDefinition", nad("management.yaml")));
        assertFalse(management.allowed());
        assertTrue(management.status().message().contains("/spec/config/plugins/1/addroutes/0: route 10.0.0.0/8 via 192.168.100.1"
                + " covers the cluster's pod network 10.128.0.0/14"), management.status().message());
        assertTrue(management.status().message().contains("netattach.cluster.route-policy=deny"));
        AdmissionResponse sip = nadHandler(OPENSHIFT_DENY, null).handle(request("NetworkAttachmentDefinition", nad("sip.yaml")));
        assertFalse(sip.allowed());
        assertTrue(sip.status().message().contains("service network 172.30.0.0/16"), sip.status().message());
    }

    @Test
    void theSeedPodIsAdmittedWithBothCoverWarningsAndDeniedWithBothReasonsUnderDeny() throws Exception {
        JsonNode pod = Reviews.manifest("deploy/examples/pod.yaml");
        NadCatalog catalog = new SeedCatalog(seed());
        AdmissionResponse warned = new PodValidationHandler(catalog, "deny", new ClusterNetworkSource(OPENSHIFT))
                .handle(request("Pod", pod));
        assertTrue(warned.allowed());
        assertEquals(2, warned.warnings().size(), warned.warnings().toString());
        assertTrue(warned.warnings().get(0).startsWith("route 10.0.0.0/8 via 192.168.100.1 covers the cluster's pod network 10.128.0.0/14"));
        assertTrue(warned.warnings().get(1).startsWith("route 172.16.0.0/12 via 192.168.200.1 covers the cluster's service network 172.30.0.0/16"));
        AdmissionResponse denied = new PodValidationHandler(catalog, "deny", new ClusterNetworkSource(OPENSHIFT_DENY))
                .handle(request("Pod", pod));
        assertFalse(denied.allowed());
        assertTrue(denied.status().message().contains("(2 errors)"), denied.status().message());
        assertTrue(denied.status().message().contains("pod network 10.128.0.0/14")
                && denied.status().message().contains("service network 172.30.0.0/16"), denied.status().message());
    }

    @Test
    void aPodWhoseNetworksCollideIsDeniedNamingBothNetworks() throws Exception {
        ObjectNode pod = Reviews.manifest("deploy/examples/pod.yaml");
        ((ObjectNode) pod.path("metadata").path("annotations")).put("k8s.v1.cni.cncf.io/networks",
                "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"management-net\",\"interface\":\"eth2\"}]");
        AdmissionResponse r = new PodValidationHandler(new SeedCatalog(seed()), "deny").handle(request("Pod", pod));
        assertFalse(r.allowed());
        assertTrue(r.status().message().contains("route 10.0.0.0/8 via 192.168.100.1 dev eth2 of chain-example/management-net (eth2)"
                + " collides with 10.0.0.0/8 via 192.168.100.1 dev eth1 of chain-example/management-net (eth1)"), r.status().message());
    }

    @Test
    void aStaticAddressAnotherNadHandsOutOnTheSameMasterAndVlanIsAWarning() throws Exception {
        ObjectNode copy = (ObjectNode) nad("management.yaml").deepCopy();
        ((ObjectNode) copy.path("metadata")).put("name", "management-copy");
        AdmissionResponse r = nadHandler(ClusterNetworks.NONE, new SeedCatalog(seed())).handle(request("NetworkAttachmentDefinition", copy));
        assertTrue(r.allowed());
        List<String> shared = r.warnings().stream().filter(w -> w.contains("static address")).toList();
        assertEquals(1, shared.size(), r.warnings().toString());
        assertTrue(shared.getFirst().startsWith("static address 192.168.100.10 is also handed out by"), r.warnings().toString());
        assertTrue(shared.getFirst().endsWith("(at /spec/config/plugins/0/ipam/addresses/0/address)"), r.warnings().toString());
        List<io.netattach.cni.Finding> findings = io.netattach.plan.NadPlans.sharedSegment(copy,
                List.of(NadInfo.fromManifest(nad("management.yaml"), "chain-example"), NadInfo.fromManifest(nad("sip.yaml"), "chain-example")));
        assertEquals(List.of(io.netattach.cni.Finding.warning("/spec/config/plugins/0/ipam/addresses/0/address",
                "static address 192.168.100.10 is also handed out by chain-example/management-net on the same segment"
                        + " (master \"br-ex\", VLAN 100): two pods attached to both would answer ARP for one address")), findings);
        // the other NAD changed under the same name: its new address is what counts (nothing stale is served)
        ObjectNode moved = (ObjectNode) nad("management.yaml").deepCopy();
        moved.withObjectProperty("spec").put("config", moved.path("spec").path("config").asText().replace("192.168.100.10/24", "192.168.100.11/24"));
        assertEquals(List.of(), io.netattach.plan.NadPlans.sharedSegment(copy, List.of(NadInfo.fromManifest(moved, "chain-example"))));
        assertEquals(1, io.netattach.plan.NadPlans.sharedSegment(copy,
                List.of(NadInfo.fromManifest(nad("management.yaml"), "chain-example"))).size());
        // the NAD itself (same name) is not its own conflict
        AdmissionResponse self = nadHandler(ClusterNetworks.NONE, new SeedCatalog(seed())).handle(request("NetworkAttachmentDefinition", nad("management.yaml")));
        assertEquals(List.of(), self.warnings());
    }

    @Test
    void aStaticAddressANadOfAnotherNamespaceHandsOutOnTheSameMasterAndVlanIsAWarningNamingIt() throws Exception {
        // the seed NADs live in team-b; a copy of management-net is admitted in chain-example
        ObjectNode copy = (ObjectNode) nad("management.yaml").deepCopy();
        ((ObjectNode) copy.path("metadata")).put("name", "management-copy");
        AdmissionResponse r = nadHandler(ClusterNetworks.NONE, new SeedCatalog(seed(), "team-b"))
                .handle(request("NetworkAttachmentDefinition", copy));
        assertTrue(r.allowed());
        assertEquals(List.of("static address 192.168.100.10 is also handed out by team-b/management-net on the same segment"
                + " (master \"br-ex\", VLAN 100): two pods attached to both would answer ARP for one address"
                + " (at /spec/config/plugins/0/ipam/addresses/0/address)"),
                r.warnings().stream().filter(w -> w.startsWith("static address")).toList());
        // the same name in another namespace is another NAD: it collides too
        AdmissionResponse sameName = nadHandler(ClusterNetworks.NONE, new SeedCatalog(seed(), "team-b"))
                .handle(request("NetworkAttachmentDefinition", nad("management.yaml")));
        assertEquals(1, sameName.warnings().size(), sameName.warnings().toString());
        assertTrue(sameName.warnings().getFirst().contains("handed out by team-b/management-net"), sameName.warnings().toString());
        // a bare lookup (no catalog index) answers for the NAD's own namespace only
        NadLookup bare = NadLookup.of(seed().stream().map(n -> new NadInfo("team-b", n.name(), n.selectorText(), n.selector(),
                n.selectorError(), n.interfaceName(), n.interfaceError(), n.order(), n.orderError(), n.staticIpam(),
                n.staticAddresses(), n.staticIpsCapability(), n.config())).toList());
        assertEquals(List.of(), nadHandler(ClusterNetworks.NONE, bare).handle(request("NetworkAttachmentDefinition", copy)).warnings()
                .stream().filter(w -> w.startsWith("static address")).toList());
    }

    @Test
    void theSourceCombinesConfigurationAndDiscoveredNetworks() {
        ClusterNetworkSource source = new ClusterNetworkSource(ClusterNetworks.of("10.128.0.0/14", "", ClusterNetworks.RoutePolicy.WARN));
        source.update("kubeadm-config", new ClusterNetworkSource.Contribution(List.of(IpPrefix.parse("10.244.0.0/16").orElseThrow()),
                List.of(IpPrefix.parse("10.96.0.0/12").orElseThrow())));
        assertEquals(List.of(IpPrefix.parse("10.128.0.0/14").orElseThrow(), IpPrefix.parse("10.244.0.0/16").orElseThrow()),
                source.current().podNetworks());
        assertEquals(Map.of("configuration", "pod 10.128.0.0/14", "kubeadm-config", "pod 10.244.0.0/16, service 10.96.0.0/12"),
                source.describe());
        source.update("kubeadm-config", null);
        assertEquals(List.of(IpPrefix.parse("10.128.0.0/14").orElseThrow()), source.current().podNetworks());
    }

    /** A synced catalog over fixed NADs. */
    private static final class SeedCatalog implements NadCatalog {
        private final NadLookup nads;
        private final io.netattach.plan.SegmentIndex segments;

        SeedCatalog(List<NadInfo> nads) {
            this(nads, "chain-example");
        }

        SeedCatalog(List<NadInfo> nads, String namespace) {
            List<NadInfo> placed = nads.stream().map(n -> new NadInfo(namespace, n.name(), n.selectorText(), n.selector(),
                    n.selectorError(), n.interfaceName(), n.interfaceError(), n.order(), n.orderError(), n.staticIpam(),
                    n.staticAddresses(), n.staticIpsCapability(), n.config())).toList();
            this.nads = NadLookup.of(placed);
            this.segments = io.netattach.plan.SegmentIndex.of(placed);
        }

        @Override
        public io.netattach.plan.SegmentIndex segments() {
            return segments;
        }

        @Override
        public NamespaceNads namespace(String namespace) {
            return nads.namespace(namespace);
        }

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public String status() {
            return "synced";
        }

        @Override
        public int size() {
            return 2;
        }

        @Override
        public int invalidAnnotations() {
            return 0;
        }

        @Override
        public void start() {
        }

        @Override
        public void close() {
        }
    }
}

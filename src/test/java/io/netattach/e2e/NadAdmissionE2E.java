package io.netattach.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * NetworkAttachmentDefinitions through the real API server: the seed NADs are admitted, broken ones are
 * denied by {@code nads.validate.netattach.io} with the webhook's own message as the API server relays
 * it (HTTP 400/403 from the API server, "admission webhook ... denied the request: ...").
 */
class NadAdmissionE2E {

    static String NS;
    static Cluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.get();
        NS = cluster.ns("e2e-nads");
        cluster.namespace(NS, Map.of());
    }

    @Test
    void seedNadsAreAdmittedAndStoredUnchanged() {
        cluster.namespace(cluster.ns("chain-example"), Map.of());
        Exec e = cluster.applyExamples("deploy/examples/management.yaml", "deploy/examples/sip.yaml");
        assertTrue(e.ok(), e.output());
        for (String name : new String[] {"management-net", "sip-net"}) {
            GenericKubernetesResource stored = Nads.api(cluster.admin).inNamespace(cluster.ns("chain-example")).withName(name).get();
            assertNotNull(stored, name + " not stored");
            String config = (String) ((Map<?, ?>) stored.getAdditionalProperties().get("spec")).get("config");
            assertTrue(config.contains("\"route-override\""), config);
        }
    }

    @Test
    void chainedPluginFirstIsDenied() {
        String config = """
                {"cniVersion":"1.0.0","name":"chained-first","plugins":[
                  {"type":"route-override","addroutes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"}]},
                  {"type":"macvlan","master":"br-ex","ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24"}]}}]}""";
        assertDenied("chained-first", config, "/spec/config/plugins/0/type: type \"route-override\" is a chained-only plugin");
    }

    @Test
    void stringBooleansAreDenied() {
        String config = """
                {"cniVersion":"1.0.0","name":"string-bool","plugins":[
                  {"type":"macvlan","master":"br-ex","ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24"}]}},
                  {"type":"route-override","flushroutes":"true"}]}""";
        assertDenied("string-bool", config, "/spec/config/plugins/1/flushroutes: flushroutes \"true\" is a string");
    }

    @Test
    void vlanOutOfRangeIsDenied() {
        assertDenied("vlan-4095", Nads.chain("vlan-4095", 4095, "192.168.100.10/24", "192.168.100.1", "10.0.0.0/8"), "/spec/config/plugins/0/vlan: vlan 4095 is out of range");
    }

    @Test
    void pathTraversalTypeIsDenied() {
        String config = """
                {"cniVersion":"1.0.0","name":"traversal","type":"../../../usr/bin/evil"}""";
        assertDenied("traversal", config, "/spec/config/type: type \"../../../usr/bin/evil\" is not a plain file name");
    }

    @Test
    void configThatIsNotJsonIsDenied() {
        assertDenied("not-json", "{\"cniVersion\": \"1.0.0\", \"name\": ", "/spec/config: spec.config is not valid JSON");
    }

    @Test
    void updateThatBreaksAValidNadIsDeniedAndTheStoredNadStays() {
        String valid = Nads.chain("update-me", 100, "192.168.100.10/24", "192.168.100.1", "10.0.0.0/8");
        Nads.api(cluster.admin).inNamespace(NS).resource(Nads.nad(NS, "update-me", valid, Map.of())).create();
        GenericKubernetesResource broken = Nads.nad(NS, "update-me",
                Nads.chain("update-me", 5000, "192.168.100.10/24", "192.168.100.1", "10.0.0.0/8"), Map.of());
        String message = denial(() -> Nads.api(cluster.admin).inNamespace(NS).resource(broken).update());
        assertTrue(message.contains("/spec/config/plugins/0/vlan: vlan 5000 is out of range"), message);
        String stored = (String) ((Map<?, ?>) Nads.api(cluster.admin).inNamespace(NS).withName("update-me").get()
                .getAdditionalProperties().get("spec")).get("config");
        assertEquals(valid, stored);
    }

    @Test
    void serverSideDryRunIsReviewedAndStoresNothing() {
        Exec denied = cluster.kubectl(Nads.manifest(NS, "dry-broken", "{\"cniVersion\":\"1.0.0\",\"name\":\"x\",\"type\":\"a/b\"}"),
                "create", "--dry-run=server", "-f", "-");
        assertTrue(!denied.ok() && denied.err().contains("admission webhook \"nads.validate.netattach.io\" denied the request"),
                denied.output());
        Exec allowed = cluster.kubectl(Nads.manifest(NS, "dry-valid",
                Nads.chain("dry-valid", 100, "192.168.100.10/24", "192.168.100.1", "10.0.0.0/8")),
                "create", "--dry-run=server", "-f", "-");
        assertTrue(allowed.ok(), allowed.output());
        assertTrue(allowed.out().contains("(server dry run)"), allowed.output());
        assertNull(Nads.api(cluster.admin).inNamespace(NS).withName("dry-valid").get(), "a dry run stored the NAD");
    }

    /** Creates the NAD, expects a denial by the NAD webhook naming {@code expected}, and nothing stored. */
    static void assertDenied(String name, String config, String expected) {
        String message = denial(() -> Nads.api(cluster.admin).inNamespace(NS).resource(Nads.nad(NS, name, config, Map.of()))
                .create());
        System.out.println("e2e: " + name + " -> " + message);
        assertTrue(message.contains(expected), "expected \"" + expected + "\" in: " + message);
        assertNull(Nads.api(cluster.admin).inNamespace(NS).withName(name).get(), name + " was stored");
    }

    /** The API server's message for a request the NAD webhook denied. */
    static String denial(Executable request) {
        KubernetesClientException e = assertThrows(KubernetesClientException.class, request);
        String message = e.getStatus() != null ? e.getStatus().getMessage() : e.getMessage();
        if (message == null || !message.contains("admission webhook \"nads.validate.netattach.io\" denied the request")) {
            fail("not a denial by nads.validate.netattach.io (HTTP " + e.getCode() + "): " + message);
        }
        return message;
    }
}

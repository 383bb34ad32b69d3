package io.netattach.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.catalog.NadCatalog;
import io.netattach.injection.NadInfo;
import io.netattach.injection.NadLookup;
import io.netattach.injection.NamespaceNads;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pod handlers as pure functions (no HTTP): catalog states, kinds, configuration. */
class PodHandlersTest {

    /** A fixed catalog that can be switched to not ready. */
    private static final class FakeCatalog implements NadCatalog {
        private final NadLookup nads;
        private boolean ready;

        FakeCatalog(List<NadInfo> nads, boolean ready) {
            this.nads = NadLookup.of(nads);
            this.ready = ready;
        }

        @Override
        public NamespaceNads namespace(String namespace) {
            return nads.namespace(namespace);
        }

        @Override
        public io.netattach.plan.SegmentIndex segments() {
            return new io.netattach.plan.SegmentIndex();
        }

        @Override
        public boolean covers(String namespace) {
            return ready;
        }

        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public String status() {
            return ready ? "fake" : "fake informer not synced";
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

    private static List<NadInfo> seed() throws Exception {
        List<NadInfo> nads = new ArrayList<>();
        for (String file : List.of("management.yaml", "sip.yaml")) {
            nads.add(NadInfo.fromManifest(Reviews.manifest("deploy/examples/" + file), "default"));
        }
        return nads;
    }

    private static AdmissionRequest request(String operation, String kind, JsonNode object) {
        return new AdmissionRequest("uid-1", Operation.parse(operation).orElseThrow(), "", "v1", kind, "", "chain-example", "",
                object, null, false, null);
    }

    private static ObjectNode pod() {
        return PodReviews.pod(PodReviews.review());
    }

    @Test
    void mutationWaitsForTheCatalog() throws Exception {
        FakeCatalog catalog = new FakeCatalog(seed(), false);
        PodMutationHandler handler = new PodMutationHandler(catalog);
        AdmissionResponse notReady = handler.handle(request("CREATE", "Pod", pod()));
        assertTrue(notReady.allowed());
        assertNull(notReady.patch());
        assertTrue(notReady.warnings().getFirst().contains("not synced"), notReady.warnings().toString());

        catalog.ready = true;
        AdmissionResponse ready = handler.handle(request("CREATE", "Pod", pod()));
        assertEquals(2, ready.patch().size());
        assertEquals(List.of(), ready.warnings());
    }

    @Test
    void otherKindsAndMissingObjectsAreAllowedUnchanged() throws Exception {
        PodMutationHandler mutate = new PodMutationHandler(new FakeCatalog(seed(), true));
        AdmissionResponse service = mutate.handle(new AdmissionRequest("u", Operation.CREATE, "", "v1", "Service", "", "chain-example", "",
                pod(), null, false, null));
        assertTrue(service.allowed());
        assertNull(service.patch());
        assertFalse(service.warnings().isEmpty());
        AdmissionResponse missing = mutate.handle(request("CREATE", "Pod", null));
        assertTrue(missing.allowed());
        assertNull(missing.patch());

        PodValidationHandler validate = new PodValidationHandler(new FakeCatalog(seed(), true), "deny");
        assertFalse(validate.handle(request("CREATE", "Pod", null)).allowed());
        assertTrue(validate.handle(request("DELETE", "Pod", null)).allowed());
    }

    @Test
    void missingNadPolicyIsConfigurable() throws Exception {
        ObjectNode pod = pod();
        ((ObjectNode) pod.path("metadata").path("annotations")).put("k8s.v1.cni.cncf.io/networks", "storage-net@eth3");
        assertFalse(new PodValidationHandler(new FakeCatalog(seed(), true), "deny").handle(request("CREATE", "Pod", pod)).allowed());
        AdmissionResponse warned = new PodValidationHandler(new FakeCatalog(seed(), true), " WARN ").handle(request("CREATE", "Pod", pod));
        assertTrue(warned.allowed());
        assertTrue(warned.warnings().getFirst().startsWith("NetworkAttachmentDefinition chain-example/storage-net does not exist"), warned.warnings().toString());
        AdmissionResponse unsynced = new PodValidationHandler(new FakeCatalog(seed(), false), "deny").handle(request("CREATE", "Pod", pod));
        assertTrue(unsynced.allowed(), "an unsynced catalog does not know what is missing");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PodValidationHandler(new FakeCatalog(seed(), true), "maybe"));
        assertEquals("netattach.pods.missing-nad must be deny or warn, got \"maybe\"", e.getMessage());
    }
}

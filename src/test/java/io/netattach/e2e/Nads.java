package io.netattach.e2e;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

import java.util.Map;

/** NetworkAttachmentDefinitions as the API sees them (no model class: the CRD is all the server knows). */
final class Nads {

    private Nads() {
    }

    static MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> api(
            KubernetesClient client) {
        return client.genericKubernetesResources("k8s.cni.cncf.io/v1", "NetworkAttachmentDefinition");
    }

    static GenericKubernetesResource nad(String namespace, String name, String config, Map<String, String> annotations) {
        return new GenericKubernetesResourceBuilder()
                .withApiVersion("k8s.cni.cncf.io/v1").withKind("NetworkAttachmentDefinition")
                .withNewMetadata().withNamespace(namespace).withName(name).withAnnotations(annotations).endMetadata()
                .withAdditionalProperties(Map.of("spec", Map.of("config", config)))
                .build();
    }

    /** The same NAD as JSON, for kubectl. */
    static String manifest(String namespace, String name, String config) {
        return RenderedBundle.JSON.valueToTree(nad(namespace, name, config, Map.of())).toString();
    }

    /** A macvlan + static + route-override chain like the seed's, on br-ex with the given VLAN. */
    static String chain(String name, int vlan, String address, String gateway, String route) {
        return """
                {"cniVersion":"1.0.0","name":"%s","plugins":[
                  {"type":"macvlan","master":"br-ex","vlan":%d,"mode":"bridge",
                   "ipam":{"type":"static","addresses":[{"address":"%s","gateway":"%s"}]}},
                  {"type":"route-override","addroutes":[{"dst":"%s","gw":"%s"}]}]}"""
                .formatted(name, vlan, address, gateway, route, gateway);
    }
}

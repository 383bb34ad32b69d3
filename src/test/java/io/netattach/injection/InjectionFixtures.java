package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Pods and NADs for the injection tests. */
final class InjectionFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private InjectionFixtures() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A NAD manifest with the given injection annotations (null: absent) and a bridge config. */
    static ObjectNode nadManifest(String namespace, String name, String selector, String iface, String order, String config) {
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1");
        nad.put("kind", "NetworkAttachmentDefinition");
        ObjectNode metadata = nad.putObject("metadata");
        metadata.put("name", name);
        metadata.put("namespace", namespace);
        ObjectNode annotations = metadata.putObject("annotations");
        if (selector != null) {
            annotations.put(NadInfo.INJECT_SELECTOR, selector);
        }
        if (iface != null) {
            annotations.put(NadInfo.INTERFACE, iface);
        }
        if (order != null) {
            annotations.put(NadInfo.INJECT_ORDER, order);
        }
        nad.putObject("spec").put("config", config != null ? config
                : "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"subnet\":\"10.9.0.0/24\"}}");
        return nad;
    }

    static NadInfo nad(String namespace, String name, String selector, String iface, String order) {
        return NadInfo.fromManifest(nadManifest(namespace, name, selector, iface, order, null), "default");
    }

    /** The NADs of deploy/examples (the seed scenario). */
    static List<NadInfo> seedNads() {
        List<NadInfo> nads = new ArrayList<>();
        for (String file : List.of("management.yaml", "sip.yaml")) {
            try {
                nads.add(NadInfo.fromManifest(YAML.readTree(Files.readString(Path.of("deploy/examples", file))), "default"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return nads;
    }

    /** A pod as the API server sends it to a mutating webhook after defaulting. */
    static ObjectNode pod(String namespace, String labelsJson, String annotationsJson) {
        ObjectNode pod = (ObjectNode) json("""
                {"apiVersion":"v1","kind":"Pod",
                 "metadata":{"generateName":"chain-test-7d9f8b6c5-","namespace":"NS"},
                 "spec":{"containers":[{"name":"test-container","image":"registry.access.redhat.com/ubi9/ubi-minimal:latest",
                   "command":["sleep","infinity"],"resources":{},"terminationMessagePath":"/dev/termination-log",
                   "terminationMessagePolicy":"File","imagePullPolicy":"Always",
                   "volumeMounts":[{"name":"kube-api-access-x1","readOnly":true,"mountPath":"/var/run/secrets/kubernetes.io/serviceaccount"}]}],
                   "restartPolicy":"Always","dnsPolicy":"ClusterFirst","serviceAccountName":"default",
                   "tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]},
                 "status":{}}""".replace("NS", namespace));
        ObjectNode metadata = (ObjectNode) pod.get("metadata");
        if (labelsJson != null) {
            metadata.set("labels", json(labelsJson));
        }
        if (annotationsJson != null) {
            metadata.set("annotations", json(annotationsJson));
        }
        return pod;
    }
}

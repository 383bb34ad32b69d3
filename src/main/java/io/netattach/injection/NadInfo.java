package io.netattach.injection;

import com.fasterxml.jackson.databind.JsonNode;
import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonArray;
import io.netattach.cni.JsonValue.JsonBool;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.JsonValue.JsonString;
import io.netattach.cni.Finding;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What injection and pod validation need to know about one NetworkAttachmentDefinition, read once
 * when the NAD enters the catalog: its injection annotations (parsed) and whether its IPAM is
 * {@code static}.
 *
 * @param namespace          NAD namespace
 * @param name               NAD name
 * @param selectorText       {@code netattach.io/inject-selector} as written, null when absent (not injected)
 * @param selector           the parsed selector; null when absent or invalid
 * @param selectorError      why the selector is invalid, null when valid or absent
 * @param interfaceName      {@code netattach.io/interface}, null when absent or invalid
 * @param interfaceError     why the interface annotation is unusable, null when fine or absent
 * @param order              {@code netattach.io/inject-order}; {@link #UNORDERED} when absent or invalid
 * @param orderError         why the order annotation is unusable, null when fine or absent
 * @param staticIpam         a plugin of the NAD's config uses IPAM type {@code static}
 * @param staticAddresses    the addresses that static IPAM hands out (to every pod)
 * @param staticIpsCapability the plugin with static IPAM declares {@code capabilities: {"ips": true}},
 *                           so per-pod {@code ips} in the annotation reach it
 * @param config             the NAD's {@code spec.config} as written (for the network plan), null when absent
 */
public record NadInfo(String namespace, String name, String selectorText, LabelSelector selector, String selectorError,
                      String interfaceName, String interfaceError, int order, String orderError,
                      boolean staticIpam, List<String> staticAddresses, boolean staticIpsCapability,
                      String config) {

    public static final String INJECT_SELECTOR = "netattach.io/inject-selector";
    public static final String INTERFACE = "netattach.io/interface";
    public static final String INJECT_ORDER = "netattach.io/inject-order";
    /** Sorts after every explicit order. */
    public static final int UNORDERED = Integer.MAX_VALUE;

    /** Injection order: by {@code inject-order} (absent last), then by name. */
    public static final Comparator<NadInfo> INJECTION_ORDER =
            Comparator.comparingInt(NadInfo::order).thenComparing(NadInfo::name);

    public NadInfo {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        staticAddresses = List.copyOf(staticAddresses);
    }

    /** Without the config (no network plan for this NAD). */
    public NadInfo(String namespace, String name, String selectorText, LabelSelector selector, String selectorError,
                   String interfaceName, String interfaceError, int order, String orderError,
                   boolean staticIpam, List<String> staticAddresses, boolean staticIpsCapability) {
        this(namespace, name, selectorText, selector, selectorError, interfaceName, interfaceError, order, orderError,
                staticIpam, staticAddresses, staticIpsCapability, null);
    }

    /** Whether this NAD asks to be injected into the pods its (valid) selector matches. */
    public boolean injects() {
        return selector != null;
    }

    /** {@code namespace/name}. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The annotation problems of this NAD (invalid selector, interface, order), one line each. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>(3);
        if (selectorError != null) {
            problems.add(selectorError);
        }
        if (interfaceError != null) {
            problems.add(interfaceError);
        }
        if (orderError != null) {
            problems.add(orderError);
        }
        return problems;
    }

    /**
     * The problems of the NAD's {@code netattach.io/*} annotations as warnings at the annotation's path
     * (e.g. {@code /metadata/annotations/netattach.io~1inject-selector}), for the NAD webhook and
     * {@code lint}: such a NAD is admitted, but it is not injected (or is ordered last) until fixed.
     */
    public static List<Finding> annotationFindings(JsonNode nad) {
        String name = nad == null || !nad.isObject() ? null : text(nad.path("metadata").get("name"));
        if (name == null || name.isEmpty()) {
            return List.of(); // as fromManifest: no name, no NAD
        }
        Injection injection = Injection.of(nad.path("metadata").path("annotations")); // the config is not read
        List<Finding> findings = new ArrayList<>(3);
        addWarning(findings, INJECT_SELECTOR, injection.selectorError());
        addWarning(findings, INTERFACE, injection.interfaceError());
        addWarning(findings, INJECT_ORDER, injection.orderError());
        return findings;
    }

    private static void addWarning(List<Finding> findings, String annotation, String problem) {
        if (problem != null) {
            findings.add(Finding.warning("/metadata/annotations/" + Finding.escape(annotation), problem));
        }
    }

    /** A NAD without injection annotations and without static IPAM (tests, lookups). */
    public static NadInfo plain(String namespace, String name) {
        return new NadInfo(namespace, name, null, null, null, null, null, UNORDERED, null, false, List.of(), false);
    }

    /**
     * Reads a NAD object ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}).
     *
     * @param defaultNamespace namespace for a manifest without {@code metadata.namespace}
     * @return null when the object has no {@code metadata.name}
     */
    public static NadInfo fromManifest(JsonNode nad, String defaultNamespace) {
        if (nad == null || !nad.isObject()) {
            return null;
        }
        JsonNode metadata = nad.path("metadata");
        String name = text(metadata.get("name"));
        if (name == null || name.isEmpty()) {
            return null;
        }
        String namespace = text(metadata.get("namespace"));
        if (namespace == null || namespace.isEmpty()) {
            namespace = defaultNamespace;
        }
        Injection injection = Injection.of(metadata.path("annotations"));

        boolean staticIpam = false;
        boolean capability = false;
        List<String> addresses = new ArrayList<>();
        String config = text(nad.path("spec").get("config"));
        if (config != null && !config.isBlank()) {
            try {
                if (Json.parse(config) instanceof JsonObject root) {
                    List<JsonObject> plugins = new ArrayList<>();
                    if (root.get("plugins").orElse(null) instanceof JsonArray list) {
                        for (JsonValue p : list.elements()) {
                            if (p instanceof JsonObject plugin) {
                                plugins.add(plugin);
                            }
                        }
                    } else {
                        plugins.add(root);
                    }
                    for (JsonObject plugin : plugins) {
                        if (plugin.get("ipam").orElse(null) instanceof JsonObject ipam
                                && ipam.get("type").orElse(null) instanceof JsonString type && type.value().equals("static")) {
                            staticIpam = true;
                            if (plugin.get("capabilities").orElse(null) instanceof JsonObject caps
                                    && caps.get("ips").orElse(null) instanceof JsonBool ips && ips.value()) {
                                capability = true;
                            }
                            if (ipam.get("addresses").orElse(null) instanceof JsonArray list) {
                                for (JsonValue a : list.elements()) {
                                    if (a instanceof JsonObject address && address.get("address").orElse(null) instanceof JsonString s) {
                                        addresses.add(s.value());
                                    }
                                }
                            }
                        }
                    }
                }
            } catch (JsonException e) {
                // a broken config is the NAD validator's business; for injection it is just not static
            }
        }
        return new NadInfo(namespace, name, injection.selectorText(),
                injection.interfaceError() == null ? injection.selector() : null, injection.selectorError(),
                injection.interfaceName(), injection.interfaceError(), injection.order(), injection.orderError(),
                staticIpam, addresses, capability, config);
    }

    /** What a NAD's {@code netattach.io/*} annotations ask for, and their problems. */
    private record Injection(String selectorText, LabelSelector selector, String selectorError, String interfaceName,
                             String interfaceError, int order, String orderError) {

        static Injection of(JsonNode annotations) {
            String selectorText = text(annotations.get(INJECT_SELECTOR));
            LabelSelector selector = null;
            String selectorError = null;
            if (selectorText != null) {
                try {
                    selector = LabelSelector.parse(selectorText);
                } catch (LabelSelector.InvalidSelectorException e) {
                    selectorError = "annotation " + INJECT_SELECTOR + ": " + e.getMessage() + "; the NAD is not injected";
                }
            }

            String interfaceName = text(annotations.get(INTERFACE));
            String interfaceError = null;
            if (interfaceName != null) {
                String problem = NetworksAnnotation.interfaceProblem(interfaceName);
                if (problem != null) {
                    interfaceError = "annotation " + INTERFACE + ": " + problem + "; the NAD is not injected";
                    interfaceName = null;
                }
            }

            int order = UNORDERED;
            String orderError = null;
            String orderText = text(annotations.get(INJECT_ORDER));
            if (orderText != null) {
                try {
                    order = Integer.parseInt(orderText.strip());
                    if (order == UNORDERED) {
                        order = UNORDERED - 1;
                    }
                } catch (NumberFormatException e) {
                    orderError = "annotation " + INJECT_ORDER + ": " + Json.quote(orderText) + " is not an integer; the NAD is ordered last";
                }
            }
            return new Injection(selectorText, selector, selectorError, interfaceName, interfaceError, order, orderError);
        }
    }

    private static String text(JsonNode node) {
        return node != null && node.isTextual() ? node.asText() : null;
    }
}

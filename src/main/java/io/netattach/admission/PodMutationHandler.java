package io.netattach.admission;

import io.netattach.catalog.NadCatalog;
import io.netattach.injection.Injection;
import io.netattach.injection.NetworkSelection;
import io.netattach.injection.PatchOperation;
import io.netattach.injection.PodInjector;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.List;

/**
 * {@code POST /mutate/pods}: on CREATE of a Pod, adds the networks of the NADs whose
 * {@code netattach.io/inject-selector} matches the pod (see {@link PodInjector}) with a minimal
 * JSON Patch; never denies a pod. Other operations, sub-resources and kinds are allowed unchanged.
 *
 * <p>The namespace opt-in {@code netattach.io/injection=enabled} is enforced by the
 * MutatingWebhookConfiguration's {@code namespaceSelector}: pods of other namespaces never reach
 * this handler, so it does not read namespaces (and needs no RBAC on them).
 *
 * <p>Warnings (why a matching network was not injected) lead with the reason, then the path
 * ({@link Warnings#of}).
 */
@Singleton
public class PodMutationHandler implements AdmissionHandler {

    public static final String PATH = "/mutate/pods";

    private static final Logger LOG = Logger.getLogger(PodMutationHandler.class);

    private final NadCatalog catalog;
    private final PodInjector injector;

    @Inject
    public PodMutationHandler(NadCatalog catalog) {
        this.catalog = catalog;
        this.injector = new PodInjector(catalog);
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest request) {
        if (request.operation() != io.netattach.admission.Operation.CREATE || !request.subResource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        if (!isPod(request)) {
            return AdmissionResponse.allow(List.of("netattach " + PATH + " only mutates Pods, got " + request.kind() + "; unchanged"));
        }
        if (request.object().isMissingNode() || !request.object().isObject()) {
            return AdmissionResponse.allow(List.of("request.object is missing: pod not injected"));
        }
        if (!catalog.ready()) {
            return AdmissionResponse.allow(List.of("netattach: NAD catalog not synced yet (" + catalog.status() + "); no networks injected"));
        }
        Injection injection = injector.inject(request.object(), request.namespace());
        AdmissionResponse allowed = AdmissionResponse.allowWithFindings(injection.warnings());
        if (!injection.changed()) {
            return allowed;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("pod %s: injected %s", request.displayName(),
                    String.join(",", injection.added().stream().map(NetworkSelection::shortForm).toList()));
        }
        return allowed.withPatch(PatchOperation.toJson(injection.patch()));
    }

    static boolean isPod(AdmissionRequest request) {
        return request.kind().isEmpty() || (request.group().isEmpty() && request.kind().equals("Pod"));
    }
}

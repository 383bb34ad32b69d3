package io.netattach.admission;

import io.netattach.catalog.NadCatalog;
import io.netattach.injection.PodValidator;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.PodPlans;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Locale;

/**
 * {@code POST /validate/pods}: on CREATE of a Pod, checks its {@code k8s.v1.cni.cncf.io/networks}
 * annotation with {@link PodValidator} against the NAD catalog. ERROR findings deny the pod with every
 * reason ({@code path: message}) in the status; WARNING findings become admission warnings (reason
 * first, then the path: {@link Warnings#of}). Other operations and kinds are allowed.
 *
 * <p>{@code netattach.pods.missing-nad} = {@code deny} (default) or {@code warn}: what a reference
 * to a NAD missing from the catalog does. Only namespaces the catalog covers are checked for
 * missing NADs. The handler reads the in-memory catalog only: no API call, no extra RBAC.
 */
@Singleton
public class PodValidationHandler implements AdmissionHandler {

    public static final String PATH = "/validate/pods";

    private final PodValidator validator;

    @Inject
    public PodValidationHandler(NadCatalog catalog,
                                @ConfigProperty(name = "netattach.pods.missing-nad", defaultValue = "deny") String missingNad,
                                ClusterNetworkSource cluster) {
        // the network plan's conflicts (between the pod's networks, and with the cluster) as further checks
        this.validator = new PodValidator(catalog, parseMissingNad(missingNad), List.of(new PodPlans(cluster::current)));
    }

    public PodValidationHandler(NadCatalog catalog, String missingNad) {
        this(catalog, missingNad, new ClusterNetworkSource(ClusterNetworks.NONE));
    }

    static PodValidator.MissingNad parseMissingNad(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "deny" -> PodValidator.MissingNad.DENY;
            case "warn" -> PodValidator.MissingNad.WARN;
            default -> throw new IllegalArgumentException("netattach.pods.missing-nad must be deny or warn, got \"" + text + "\"");
        };
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.subResource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        if (!PodMutationHandler.isPod(request)) {
            return AdmissionResponse.allow(List.of("netattach " + PATH + " only validates Pods, got " + request.kind()));
        }
        if (request.object().isMissingNode() || !request.object().isObject()) {
            return AdmissionResponse.deny("Pod " + request.displayName() + ": request.object is missing on CREATE");
        }
        return AdmissionResponse.fromFindings("Pod " + request.displayName(), validator.validate(request.object(), request.namespace()));
    }
}

package io.netattach.admission;

import io.netattach.catalog.NadCatalog;
import io.netattach.injection.WorkloadReview;
import io.netattach.cni.Finding;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Optional;

/**
 * {@code POST /validate/workloads}: on CREATE and UPDATE of a Deployment, ReplicaSet, StatefulSet,
 * DaemonSet, Job or CronJob, the pod rules of {@code /validate/pods} on its pod template, after the
 * injection preview of {@code /mutate/pods} (what its pods would get injected), as warnings, so that
 * {@code kubectl apply} of the workload shows what the pods' controller would otherwise hear and drop
 * (see {@link WorkloadReview}).
 *
 * <p>Never denies: what the pod rules only warn about stays a warning, and what they would refuse
 * becomes a warning that the pods would be refused (the workload may well be applied before its
 * NADs; its pods are refused at their own admission). The webhook entries calling it use
 * {@code failurePolicy: Ignore}.
 *
 * <p>The API server's webhook entry decides whether the namespace is opted in to injection (the
 * handler does not read namespaces, so needs no RBAC on them): this class serves it at
 * {@value #PATH} with the preview, and {@link WithoutInjection} at {@value #WITHOUT_INJECTION_PATH}
 * without. Reads the in-memory catalog only.
 */
@Singleton
@Typed({WorkloadValidationHandler.class, AdmissionHandler.class})
public class WorkloadValidationHandler implements AdmissionHandler {

    public static final String PATH = "/validate/workloads";
    public static final String WITHOUT_INJECTION_PATH = "/validate/workloads-without-injection";

    private final NadCatalog catalog;
    private final WorkloadReview review;
    private final boolean injectionPreview;

    @Inject
    public WorkloadValidationHandler(NadCatalog catalog,
                                     @ConfigProperty(name = "netattach.pods.missing-nad", defaultValue = "deny") String missingNad) {
        this(catalog, missingNad, true);
    }

    WorkloadValidationHandler(NadCatalog catalog, String missingNad, boolean injectionPreview) {
        this.catalog = catalog;
        this.review = new WorkloadReview(catalog, PodValidationHandler.parseMissingNad(missingNad));
        this.injectionPreview = injectionPreview;
    }

    @Override
    public String path() {
        return injectionPreview ? PATH : WITHOUT_INJECTION_PATH;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest request) {
        if ((request.operation() != Operation.CREATE && request.operation() != Operation.UPDATE) || !request.subResource().isEmpty()) {
            return AdmissionResponse.allow();
        }
        Optional<WorkloadReview.Kind> kind = WorkloadReview.kind(request.group(), request.kind());
        if (kind.isEmpty()) {
            return AdmissionResponse.allow(List.of("netattach " + path() + " reviews the pod templates of "
                    + String.join(", ", WorkloadReview.KINDS.stream().map(WorkloadReview.Kind::kind).toList())
                    + ", got " + (request.group().isEmpty() ? "" : request.group() + "/") + request.kind()));
        }
        if (request.object().isMissingNode() || !request.object().isObject()) {
            return AdmissionResponse.allow(List.of("request.object is missing: pod template not reviewed"));
        }
        if (!catalog.ready()) {
            return AdmissionResponse.allow(List.of("netattach: NAD catalog not synced yet (" + catalog.status()
                    + "); pod template of " + request.kind() + " " + request.displayName() + " not reviewed"));
        }
        List<Finding> findings = review.review(request.object(), kind.get(), request.namespace(), injectionPreview);
        return AdmissionResponse.allowWithFindings(findings);
    }

    /** {@value #WITHOUT_INJECTION_PATH}: the same review without the injection preview (namespaces not opted in). */
    @Singleton
    @Typed({WithoutInjection.class, AdmissionHandler.class})
    public static class WithoutInjection extends WorkloadValidationHandler {
        @Inject
        public WithoutInjection(NadCatalog catalog,
                                @ConfigProperty(name = "netattach.pods.missing-nad", defaultValue = "deny") String missingNad) {
            super(catalog, missingNad, false);
        }
    }
}

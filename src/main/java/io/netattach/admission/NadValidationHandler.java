package io.netattach.admission;

import io.netattach.catalog.NadCatalog;
import io.netattach.cni.Finding;
import io.netattach.injection.NadLookup;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NadReview;
import io.netattach.plan.SegmentIndex;
import io.netattach.validation.NadValidator;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import java.util.List;

/**
 * {@code POST /validate/network-attachment-definitions}: CREATE and UPDATE are validated on
 * {@code request.object} (ERROR findings deny, WARNING findings become warnings), together with the
 * problems of its {@code netattach.io/*} injection annotations (warnings) and the network plan's findings
 * (against the cluster's networks; static addresses another NAD of the catalog, in any namespace, hands
 * out on the same master and VLAN); DELETE and CONNECT are allowed.
 */
@Singleton
public class NadValidationHandler implements AdmissionHandler {

    public static final String PATH = "/validate/network-attachment-definitions";

    private final NadValidator validator;
    private final ClusterNetworkSource cluster;
    private final NadLookup catalog;

    @Inject
    public NadValidationHandler(ValidationConfig config, ClusterNetworkSource cluster, NadCatalog catalog) {
        this(new NadValidator(config.toOptions()), cluster, catalog);
    }

    public NadValidationHandler(ValidationConfig config) {
        this(new NadValidator(config.toOptions()));
    }

    NadValidationHandler(NadValidator validator) {
        this(validator, new ClusterNetworkSource(ClusterNetworks.NONE), null);
    }

    NadValidationHandler(NadValidator validator, ClusterNetworkSource cluster, NadLookup catalog) {
        this.validator = validator;
        this.cluster = cluster;
        this.catalog = catalog;
    }

    @Override
    public String path() {
        return PATH;
    }

    @Override
    public AdmissionResponse handle(AdmissionRequest request) {
        return switch (request.operation()) {
            case DELETE, CONNECT -> AdmissionResponse.allow();
            case CREATE, UPDATE -> {
                if (request.object().isMissingNode()) {
                    yield AdmissionResponse.deny("NetworkAttachmentDefinition " + request.displayName()
                            + ": request.object is missing on " + request.operation());
                }
                String namespace = request.object().path("metadata").path("namespace").asText(request.namespace());
                // a catalog's segment index spans every namespace it holds (master and VLAN are node-level);
                // a bare lookup answers per namespace only
                SegmentIndex segments = catalog == null ? null
                        : catalog instanceof NadCatalog c ? c.segments() : SegmentIndex.of(catalog.namespace(namespace).all());
                List<Finding> findings = NadReview.findings(validator, request.object(), namespace, cluster.current(), segments);
                yield AdmissionResponse.fromFindings("NetworkAttachmentDefinition " + request.displayName(), findings);
            }
        };
    }
}

package io.netattach.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Least privilege, proven: the webhook of this suite runs with a token of the ServiceAccount
 * {@code netattach-system/netattach-webhook}, bound only by the rendered RBAC of the bundle, and the
 * other scenarios (catalog from an informer: list + watch) work with it; requests outside that RBAC are
 * answered 403 by the API server.
 */
class RbacE2E {

    static String SA;
    static Cluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.get();
        SA = "system:serviceaccount:" + cluster.ns("netattach-system") + ":netattach-webhook";
    }

    /** kubectl with the webhook's own kubeconfig (its ServiceAccount token). */
    static Exec asWebhook(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "--kubeconfig";
        full[1] = cluster.webhook.kubeconfig.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        return Exec.run(Cluster.ROOT, java.util.Map.of(), null, Exec.list("kubectl", full));
    }

    @Test
    void theWebhooksIdentityIsItsServiceAccount() {
        Exec whoami = asWebhook("auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        if (whoami.ok()) {
            assertEquals(SA, whoami.out().strip(), whoami.output());
        } else {
            // API servers before 1.27 have no SelfSubjectReview: ask through the admin instead
            Exec can = cluster.kubectl(null, "auth", "can-i", "list", "network-attachment-definitions.k8s.cni.cncf.io",
                    "--all-namespaces", "--as", SA);
            assertEquals("yes", can.out().strip(), can.output());
        }
    }

    @Test
    void theWebhookReadsNadsInEveryNamespaceWithThatToken() throws Exception {
        Exec list = asWebhook("get", "network-attachment-definitions.k8s.cni.cncf.io", "--all-namespaces");
        assertTrue(list.ok(), list.output());
        // and its informer, running on that token, has synced: readiness says so
        HttpResponse<String> ready = cluster.webhook.get("/q/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertTrue(CatalogWatchE2E.connected(ready.body()), ready.body());
    }

    @Test
    void requestsOutsideTheShippedRbacAreForbidden() {
        for (String[] request : new String[][] {
                {"get", "secrets", "-n", cluster.ns("netattach-system")},
                {"get", "pods", "--all-namespaces"},
                {"get", "configmaps", "-n", "kube-system"},
                {"delete", "network-attachment-definitions.k8s.cni.cncf.io", "management-net", "-n", cluster.ns("chain-example")},
                {"create", "namespace", cluster.ns("e2e-forbidden")}}) {
            Exec e = asWebhook(request);
            System.out.println("e2e: as the webhook: kubectl " + String.join(" ", request) + " -> "
                    + (e.err().isBlank() ? e.out() : e.err()).strip());
            assertFalse(e.ok(), e.output());
            assertTrue(e.err().contains("Forbidden") || e.err().contains("forbidden"), e.output());
        }
        Exec write = cluster.kubectl(null, "auth", "can-i", "create", "network-attachment-definitions.k8s.cni.cncf.io",
                "-n", cluster.probeNamespace, "--as", SA);
        assertEquals("no", write.out().strip(), write.output());
    }
}

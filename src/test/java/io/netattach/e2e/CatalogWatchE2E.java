package io.netattach.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhook's NAD catalog on a real watch: a NAD created, changed or deleted after the webhook started
 * is reflected for the next pod (the delay is measured from the API server's answer to the write until a
 * server-side dry-run pod sees the change, and printed); after an API server restart the informer resumes
 * without a webhook restart, and {@code /q/health/ready} says what happened meanwhile.
 */
class CatalogWatchE2E {

    static String NS;
    static Cluster cluster;

    @BeforeAll
    static void cluster() {
        cluster = Cluster.get();
        NS = cluster.ns("e2e-catalog");
        // netattach.io/validation=enabled: the catalog probe needs pods.validate.netattach.io, which under the
        // component no-match-conditions (API servers < 1.28) only sees namespaces labelled so, as its users do.
        cluster.namespace(NS, Map.of("netattach.io/injection", "enabled", "netattach.io/validation", "enabled"));
    }

    @Test
    void nadCreatedChangedAndDeletedAfterStartIsReflectedForTheNextPod() {
        String config = Nads.chain("late-net", 100, "192.168.40.10/24", "192.168.40.1", "10.40.0.0/16");
        Nads.api(cluster.admin).inNamespace(NS).resource(Nads.nad(NS, "late-net", config,
                Map.of("netattach.io/inject-selector", "app=late", "netattach.io/interface", "eth1"))).create();
        long created = cluster.awaitPodAdmission(NS, "late-net", true);
        long t0 = System.nanoTime();
        assertEquals(List.of("late-net@eth1"), injected("app", "late"));

        var nad = Nads.api(cluster.admin).inNamespace(NS).withName("late-net").get();
        nad.getMetadata().getAnnotations().put("netattach.io/interface", "eth7");
        Nads.api(cluster.admin).inNamespace(NS).resource(nad).update();
        t0 = System.nanoTime();
        long changed = -1;
        while (System.nanoTime() - t0 < Duration.ofSeconds(30).toNanos()) {
            if (injected("app", "late").equals(List.of("late-net@eth7"))) {
                changed = (System.nanoTime() - t0) / 1_000_000;
                break;
            }
            Cluster.sleep(5);
        }
        assertTrue(changed >= 0, "the changed interface annotation never reached the injector: " + injected("app", "late"));

        Nads.api(cluster.admin).inNamespace(NS).withName("late-net").delete();
        long deleted = cluster.awaitPodAdmission(NS, "late-net", false);
        assertEquals(List.of(), injected("app", "late"));
        System.out.printf("e2e: catalog on a real watch: NAD created -> admitted for the next pod after %d ms, "
                + "changed -> injected as changed after %d ms, deleted -> refused after %d ms%n", created, changed, deleted);
    }

    @Test
    void informerResumesAfterAnApiServerRestartWithoutAWebhookRestart() throws Exception {
        Webhook webhook = cluster.webhook;
        long pid = webhook.pid();
        cluster.requireOwnControlPlane("the API server restart", "to kill and restart the API server");
        if (!cluster.restartApiServer()) {
            System.out.println("e2e: API server restart SKIPPED: the API server is not run by the suite's wrapper "
                    + "(kube-api-test download)");
            org.junit.jupiter.api.Assumptions.abort("API server not restartable here");
        }
        long t0 = System.nanoTime();
        Set<String> seen = new LinkedHashSet<>();
        boolean wasDown = false;
        long apiBack = -1;
        long resumed = -1;
        List<String> timeline = new ArrayList<>();
        while (System.nanoTime() - t0 < Duration.ofSeconds(90).toNanos()) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            HttpResponse<String> ready = webhook.get("/q/health/ready");
            String state = ready.statusCode() + " " + summary(ready.body());
            if (seen.add(state)) {
                timeline.add(ms + " ms: /q/health/ready " + state);
            }
            wasDown |= !connected(ready.body());
            if (apiBack < 0) {
                try {
                    cluster.admin.namespaces().withName("default").get();
                    apiBack = ms;
                    timeline.add(ms + " ms: API server answers again");
                } catch (KubernetesClientException e) {
                    // still restarting
                }
            }
            if (apiBack >= 0 && wasDown && ready.statusCode() == 200 && connected(ready.body())) {
                resumed = ms;
                break;
            }
            if (apiBack >= 0 && ms > apiBack + 20_000 && !wasDown) {
                break;
            }
            Cluster.sleep(100);
        }
        timeline.forEach(l -> System.out.println("e2e: restart: " + l));
        assertTrue(apiBack >= 0, "the API server did not come back: " + timeline);
        assertEquals(pid, webhook.pid(), "the webhook was restarted");
        // whatever readiness showed meanwhile, the informer must serve changes made after the restart
        String config = Nads.chain("after-restart", 100, "192.168.41.10/24", "192.168.41.1", "10.41.0.0/16");
        Nads.api(cluster.admin).inNamespace(NS).resource(Nads.nad(NS, "after-restart", config, Map.of())).create();
        long reflected = cluster.awaitPodAdmission(NS, "after-restart", true);
        System.out.printf("e2e: restart: readiness %s the outage; informer %s; a NAD created after the restart was "
                + "admitted for pods after %d ms%n", wasDown ? "reported" : "did NOT report",
                resumed >= 0 ? "reconnected at " + resumed + " ms" : "reconnected", reflected);
        assertTrue(wasDown, "readiness never showed the lost watch: " + timeline);
    }

    /** The nad-catalog check of a readiness answer: status and data, on one line. */
    static String summary(String body) {
        try {
            for (var check : RenderedBundle.JSON.readTree(body).path("checks")) {
                if (check.path("name").asText().equals("nad-catalog")) {
                    return check.path("status").asText() + " " + check.path("data");
                }
            }
        } catch (java.io.IOException e) {
            return body;
        }
        return body.replaceAll("\\s+", " ");
    }

    static boolean connected(String body) {
        return summary(body).contains("\"connected\":true");
    }

    /** What the mutating webhook injects into a pod with this label now (a server-side dry run). */
    static List<String> injected(String key, String value) {
        Pod pod = cluster.admin.pods().inNamespace(NS).resource(InjectionE2E.pod("probe-" + System.nanoTime(),
                Map.of(key, value), Map.of())).dryRun().create();
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        if (annotations == null || !annotations.containsKey("k8s.v1.cni.cncf.io/networks")) {
            return List.of();
        }
        return InjectionE2E.networks(pod);
    }
}

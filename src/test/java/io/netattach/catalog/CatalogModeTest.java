package io.netattach.catalog;

import io.netattach.catalog.CatalogProducer.Mode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CatalogModeTest {

    @Test
    void explicitModeWins() {
        assertEquals(Mode.DIRECTORY, CatalogProducer.resolve(Mode.DIRECTORY, "10.0.0.1", null, null, true));
        assertEquals(Mode.CLUSTER, CatalogProducer.resolve(Mode.CLUSTER, null, null, "/nonexistent", false));
    }

    @Test
    void autoDetectsACluster() throws Exception {
        Path home = Files.createTempDirectory("netattach-home-");
        try {
            assertEquals(Mode.DIRECTORY, CatalogProducer.resolve(Mode.AUTO, null, null, home.toString(), false));
            assertEquals(Mode.DIRECTORY, CatalogProducer.resolve(Mode.AUTO, "", home.resolve("missing").toString(), home.toString(), false));
            assertEquals(Mode.CLUSTER, CatalogProducer.resolve(Mode.AUTO, "10.96.0.1", null, home.toString(), false));
            assertEquals(Mode.CLUSTER, CatalogProducer.resolve(Mode.AUTO, null, null, home.toString(), true));
            Path kubeconfig = Files.createDirectories(home.resolve(".kube")).resolve("config");
            Files.writeString(kubeconfig, "apiVersion: v1\n");
            assertEquals(Mode.CLUSTER, CatalogProducer.resolve(Mode.AUTO, null, null, home.toString(), false));
            assertEquals(Mode.CLUSTER, CatalogProducer.resolve(Mode.AUTO, null, kubeconfig.toString(), "/nonexistent", false));
            Files.delete(kubeconfig);
            Files.delete(kubeconfig.getParent());
        } finally {
            Files.deleteIfExists(home);
        }
    }

    @Test
    void modeNames() {
        assertEquals(Mode.CLUSTER, CatalogProducer.parseMode(" Cluster "));
        assertEquals(Mode.AUTO, CatalogProducer.parseMode("auto"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CatalogProducer.parseMode("etcd"));
        assertEquals("netattach.catalog.mode must be auto, cluster or directory, got \"etcd\"", e.getMessage());
    }

    @Test
    void theDirectoryIsResolvedToAnAbsolutePath() {
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals(cwd.resolve("deploy/examples"), CatalogProducer.absoluteDirectory("deploy/examples"));
        assertEquals(cwd.resolve("deploy/examples"), CatalogProducer.absoluteDirectory(" ./deploy/x/../examples/ "));
        assertEquals(Path.of("/etc/netattach/nads"), CatalogProducer.absoluteDirectory("/etc/netattach/nads"));
    }
}

package io.netattach.testing;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetnsFixtureTest {

    @BeforeEach
    void root() {
        Netns.assumeRoot();
    }

    @Test
    void nodeHasBridgeUpAndPodIsSeparateAndEverythingIsRemovedOnClose() {
        NodePodNamespaces f = NodePodNamespaces.create(2);
        try (f) {
            assertTrue(f.node().hasLink("br-ex"));
            assertTrue(f.node().ip("-o", "link", "show", "br-ex").contains("UP"));
            assertFalse(f.pod().hasLink("br-ex"));
            assertNotEquals(f.pods().get(0).name(), f.pods().get(1).name());
            assertTrue(f.pod().exists());
        }
        assertFalse(f.node().exists());
        assertFalse(f.pod().exists());
    }

    @Test
    void closeIsIdempotentAndCleansUpAfterAFailingBody() {
        Netns ns = Netns.create("na-t");
        try (ns) {
            ns.ip("link", "add", "vx0", "type", "veth", "peer", "name", "vx1");
            throw new IllegalStateException("test body fails");
        } catch (IllegalStateException expected) {
            // the namespace must be gone anyway
        }
        ns.close();
        assertFalse(ns.exists());
    }
}

package io.netattach.plugin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginMainTest {

    @Test
    void systemPropertySelectsThePlugin() {
        String before = System.getProperty("netattach.plugin");
        try {
            System.setProperty("netattach.plugin", "route-override");
            assertEquals("route-override", PluginMain.selectedPlugin().orElseThrow());
            System.clearProperty("netattach.plugin");
            // the test JVM's executable is "java", which is no plugin
            assertTrue(PluginMain.selectedPlugin().isEmpty());
        } finally {
            if (before != null) {
                System.setProperty("netattach.plugin", before);
            }
        }
    }

    @Test
    void registryKnowsEveryBinaryName() {
        for (String name : Plugins.NAMES) {
            assertEquals(name, Plugins.lookup(name).orElseThrow().name());
        }
        assertTrue(Plugins.lookup("../route-override").isEmpty());
    }
}

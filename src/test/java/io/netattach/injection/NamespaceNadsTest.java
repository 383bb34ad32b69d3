package io.netattach.injection;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.netattach.injection.InjectionFixtures.nad;
import static io.netattach.injection.InjectionFixtures.nadManifest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamespaceNadsTest {

    @Test
    void groupsNadsBySelectorAndKeepsInjectionOrder() {
        List<NadInfo> nads = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            nads.add(nad("ns", "net-" + i, i % 2 == 0 ? "app=a" : "tier in (x, y)", "e" + i, Integer.toString(50 - i)));
        }
        nads.add(nad("ns", "plain", null, null, null));
        NamespaceNads index = NamespaceNads.of(nads);
        assertEquals(51, index.size());
        assertEquals(50, index.injecting().size());
        assertEquals(2, index.selectorCount());
        List<NadInfo> both = index.matching(Map.of("app", "a", "tier", "y"));
        assertEquals(50, both.size());
        assertEquals("net-49", both.getFirst().name());
        assertEquals("net-0", both.getLast().name());
        assertEquals(25, index.matching(Map.of("app", "a")).size());
        assertEquals(List.of(), index.matching(Map.of()));
        assertTrue(index.find("plain").isPresent());
        assertFalse(index.find("nope").isPresent());
    }

    @Test
    void nadInfoReadsAnnotationsAndStaticIpam() {
        NadInfo info = nad("ns", "a", "app in (x", "eth0", "x1");
        assertFalse(info.injects());
        assertEquals(3, info.problems().size(), info.problems().toString());
        assertNull(info.interfaceName());
        assertEquals(NadInfo.UNORDERED, info.order());

        NadInfo seed = InjectionFixtures.seedNads().getFirst();
        assertEquals("chain-example", seed.namespace());
        assertEquals("management-net", seed.name());
        assertEquals("eth1", seed.interfaceName());
        assertEquals(1, seed.order());
        assertTrue(seed.staticIpam());
        assertEquals(List.of("192.168.100.10/24"), seed.staticAddresses());
        assertFalse(seed.staticIpsCapability());

        NadInfo single = NadInfo.fromManifest(nadManifest("ns", "s", null, null, null,
                "{\"cniVersion\":\"0.4.0\",\"type\":\"macvlan\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"}}"), "d");
        assertTrue(single.staticIpam());
        assertTrue(single.staticIpsCapability());
        NadInfo broken = NadInfo.fromManifest(nadManifest("ns", "b", null, null, null, "{not json"), "d");
        assertFalse(broken.staticIpam());
        assertNull(NadInfo.fromManifest(InjectionFixtures.json("{\"metadata\":{}}"), "d"));
    }
}

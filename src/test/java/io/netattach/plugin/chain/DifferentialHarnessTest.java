package io.netattach.plugin.chain;

import io.netattach.cni.CniVersion;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.testing.Netns;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness itself, run against the reference Go plugins: what it observes must be what they do. */
class DifferentialHarnessTest {

    @BeforeEach
    void requirements() {
        Netns.assumeRoot();
        Assumptions.assumeTrue(Differential.referenceAvailable(),
                "skipped: reference CNI plugins not installed in /usr/lib/cni (Debian containernetworking-plugins)");
    }

    @Test
    void referenceMacvlanWithStaticIsObservedAddedCheckedAndRemoved() {
        String conf = """
                {"cniVersion":"1.0.0","name":"management-net","plugins":[{"type":"macvlan","master":"br-ex",
                 "mode":"bridge","ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24",
                 "gateway":"192.168.100.1"}],"routes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"}]}}]}""";
        Differential.Outcome o = Differential.run(Differential.withVersion(conf, CniVersion.V1_0_0),
                List.of(Differential.REFERENCE_DIR), List.of(), JsonObject.empty());
        assertEquals("", o.error());
        assertEquals("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"mac\":\"<mac>\",\"sandbox\":"
                + "\"<pod-netns>\"}],\"ips\":[{\"interface\":0,\"address\":\"192.168.100.10/24\",\"gateway\":"
                + "\"192.168.100.1\"}],\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}]}", o.result());
        assertEquals(List.of("eth1 macvlan bridge mtu 1500 UP"), o.afterAdd().links());
        assertEquals(List.of("eth1 192.168.100.10/24"), o.afterAdd().addresses());
        assertTrue(o.afterAdd().routes().contains("10.0.0.0/8 via 192.168.100.1 dev eth1"), o.afterAdd().routes().toString());
        assertEquals("ok", o.check());
        assertTrue(o.afterDel().isEmpty(), o.afterDel().toString());
        assertEquals("ok", o.secondDel());
    }
}

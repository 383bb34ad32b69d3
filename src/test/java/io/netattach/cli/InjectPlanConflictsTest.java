package io.netattach.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code inject} reports the plan's conflicts between the pod's networks, as pod validation does. */
class InjectPlanConflictsTest {

    @Test
    void twoNetworksAddingTheSameDestinationAreAnErrorOfInject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String scenario = "src/test/resources/plan/05-addroutes-collide.yaml";
        int status = new InjectCommand().run(new String[] {"--nads", scenario, scenario},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, status, e);
        assertTrue(e.contains("ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks/1: route 10.0.0.0/8 via 192.168.200.1 dev eth2"
                + " of plan/sip-net (eth2) collides with 10.0.0.0/8 via 192.168.100.1 dev eth1 of plan/management-net (eth1)"), e);
    }

    @Test
    void theSeedInjectsWithoutConflict() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new InjectCommand().run(new String[] {"--nads", "deploy/examples/management.yaml", "--nads", "deploy/examples/sip.yaml",
                "deploy/examples/pod.yaml"}, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("0 errors, 0 warnings"), err.toString(StandardCharsets.UTF_8));
    }
}

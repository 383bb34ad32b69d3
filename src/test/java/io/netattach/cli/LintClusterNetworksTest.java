package io.netattach.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lint --cluster-networks}: the seed's routes cover OpenShift's default networks. */
class LintClusterNetworksTest {

    private record Run(int status, String out, String err) {
    }

    private static Run lint(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new LintCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theSeedGetsTheTwoCoverWarnings() {
        Run r = lint("--cluster-networks", "10.128.0.0/14,172.30.0.0/16", "deploy/examples/management.yaml", "deploy/examples/sip.yaml");
        assertEquals(0, r.status(), r.out() + r.err());
        assertTrue(r.out().contains("deploy/examples/management.yaml:1: WARNING /spec/config/plugins/1/addroutes/0: route 10.0.0.0/8"
                + " via 192.168.100.1 covers the cluster's network 10.128.0.0/14 [chain-example/management-net (eth1)]"), r.out());
        assertTrue(r.out().contains("deploy/examples/sip.yaml:1: WARNING /spec/config/plugins/1/addroutes/0: route 172.16.0.0/12"
                + " via 192.168.200.1 covers the cluster's network 172.30.0.0/16 [chain-example/sip-net (eth2)]"), r.out());
        assertTrue(r.err().contains("0 errors, 2 warnings"), r.err());
    }

    @Test
    void routePolicyDenyMakesThemErrors() {
        Run r = lint("--route-policy=deny", "--cluster-networks=10.128.0.0/14,172.30.0.0/16", "deploy/examples/management.yaml",
                "deploy/examples/sip.yaml");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("2 errors, 0 warnings"), r.err());
    }

    @Test
    void withoutClusterNetworksNothingIsAdded() {
        Run r = lint("deploy/examples/management.yaml");
        assertEquals(0, r.status());
        assertEquals("", r.out());
    }

    @Test
    void aBadCidrIsAUsageError() {
        Run r = lint("--cluster-networks", "10.128.0.0/99", "deploy/examples/management.yaml");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("cluster network \"10.128.0.0/99\" is not a CIDR"), r.err());
    }
}

package io.netattach.cli;

import io.netattach.testing.Netns;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs {@code demo} as root with the bundled launchers and checks what it prints and leaves behind. */
class DemoCommandTest {

    private record Run(int status, String out, String err) {
    }

    private static Run demo(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new DemoCommand().run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void demoBuildsTheSeedScenarioPrintsTheVerificationAndRemovesEverything() {
        Netns.assumeRoot();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("target/cni-bin/macvlan")),
                "skipped: target/cni-bin launchers not built");
        List<String> before = demoNamespaces();
        Run r = demo();
        assertEquals(0, r.status(), r.out() + r.err());
        List<String> lines = r.out().lines().map(String::strip).toList();
        assertTrue(lines.contains("ADD management-net as eth1 (macvlan + static IPAM -> route-override)"), r.out());
        assertTrue(lines.contains("ADD sip-net as eth2 (macvlan + static IPAM -> route-override)"), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("inet 192.168.100.10/24 brd 192.168.100.255 scope global eth1")), r.out());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("inet 192.168.200.10/24 brd 192.168.200.255 scope global eth2")), r.out());
        assertTrue(lines.contains("10.0.0.0/8 via 192.168.100.1 dev eth1"), r.out());
        assertTrue(lines.contains("172.16.0.0/12 via 192.168.200.1 dev eth2"), r.out());
        assertTrue(lines.contains("verified: 192.168.100.10/24 on eth1, 192.168.200.10/24 on eth2, 10.0.0.0/8 via"
                + " 192.168.100.1 dev eth1, 172.16.0.0/12 via 192.168.200.1 dev eth2"), r.out());
        assertTrue(lines.contains("DEL sip-net (eth2)") && lines.contains("DEL management-net (eth1)"), r.out());
        boolean vlan = !r.out().contains("no 802.1Q VLAN support");
        if (!vlan) {
            assertTrue(r.out().contains("note: this kernel has no 802.1Q VLAN support (kernel module 8021q); the \"vlan\""
                    + " field is removed and the chains run untagged on br-ex"), r.out());
        }
        assertEquals(before, demoNamespaces(), "the demo's namespaces are removed");
        assertFalse(r.out().contains("NOT as expected"));
    }

    /** The demo's own namespaces ({@code netattach-demo-*}); other tests may create theirs meanwhile. */
    private static List<String> demoNamespaces() {
        return Netns.run(List.of("ip", "netns", "list")).lines()
                .map(l -> l.split(" ")[0])
                .filter(n -> n.startsWith("netattach-demo-"))
                .sorted()
                .toList();
    }

    @Test
    void badArgumentsAndMissingExamplesAreUsageErrors() {
        assertEquals(2, demo("--frobnicate").status());
        assertEquals(2, demo("--examples").status()); // an option without its value
        Run missing = demo("--examples", "/nonexistent-dir", "--cni-path", "/tmp");
        assertEquals(2, missing.status());
        assertTrue(missing.err().contains(Netns.isRoot() ? "/nonexistent-dir: no such file or directory" : "needs root"),
                missing.err());
    }
}

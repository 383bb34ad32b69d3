package io.netattach.plugin;

import io.netattach.cni.CniException;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** IPAM delegation with fake IPAM plugins written as shell scripts (no root). */
class IpamDelegateTest {
    @TempDir
    Path dir;

    private void script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private CniRequest request(String stdin) {
        return new CniRequest(Command.ADD, "c1", "/var/run/netns/p", "eth1", Map.of(),
                List.of("/nonexistent", dir.toString()), stdin,
                Map.of("CNI_COMMAND", "ADD", "CNI_CONTAINERID", "c1", "CNI_NETNS", "/var/run/netns/p",
                        "CNI_IFNAME", "eth1", "CNI_PATH", "/nonexistent:" + dir, "PATH", "/usr/bin:/bin"));
    }

    @Test
    void addRunsThePluginWithSameEnvironmentAndFullConfig() throws Exception {
        // echoes back what it saw: the command, the interface, and the whole stdin as DNS domain
        script("fakeipam", """
                cfg=$(cat)
                case "$cfg" in *'"master":"br-ex"'*) full=yes;; *) full=no;; esac
                printf '{"cniVersion":"1.0.0","ips":[{"address":"192.168.100.10/24","gateway":"192.168.100.1"}],\
                "dns":{"domain":"%s-%s-%s"}}' "$CNI_COMMAND" "$CNI_IFNAME" "$full"
                """);
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"macvlan\",\"master\":\"br-ex\","
                + "\"ipam\":{\"type\":\"fakeipam\"}}";
        Result r = IpamDelegate.add(request(conf), NetConf.parse(conf));
        assertEquals("192.168.100.10/24", r.ips().getFirst().address().toString());
        assertEquals("ADD-eth1-yes", r.dns().domain());
    }

    @Test
    void delegateErrorKeepsItsCodeAndMessage() throws Exception {
        script("failipam", "cat >/dev/null; echo '{\"code\":11,\"msg\":\"no addresses left\"}'; exit 1\n");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"failipam\"}}";
        CniException e = assertThrows(CniException.class, () -> IpamDelegate.del(request(conf), NetConf.parse(conf)));
        assertEquals(11, e.code());
        assertEquals("no addresses left", e.getMessage());
    }

    @Test
    void delegateGarbageIsReported() throws Exception {
        script("garbage", "cat >/dev/null; echo 'panic: oops'; exit 2\n");
        String conf = "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":{\"type\":\"garbage\"}}";
        CniException e = assertThrows(CniException.class, () -> IpamDelegate.del(request(conf), NetConf.parse(conf)));
        assertEquals(999, e.code());
        assertEquals("IPAM plugin \"garbage\" failed (exit 2): netplugin failed but error parsing its diagnostic "
                + "message \"panic: oops\"", e.getMessage());
    }

    @Test
    void typeIsLookedUpInPathAndTraversalRefused() {
        CniException missing = assertThrows(CniException.class, () -> IpamDelegate.find("nope", List.of(dir.toString())));
        assertEquals(7, missing.code());
        assertEquals("failed to find plugin \"nope\" in path [" + dir + "]", missing.getMessage());
        CniException traversal = assertThrows(CniException.class,
                () -> IpamDelegate.find("../../bin/sh", List.of(dir.toString())));
        assertTrue(traversal.getMessage().contains("is not a plain file name"), traversal.getMessage());
    }
}

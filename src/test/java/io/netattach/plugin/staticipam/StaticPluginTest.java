package io.netattach.plugin.staticipam;

import io.netattach.plugin.Skeleton;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The static plugin through the skeleton (the protocol as a binary speaks it), no root needed. */
class StaticPluginTest {

    private record Run(int status, String out) {
    }

    private static Run run(String command, String args, String conf) {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", command, "CNI_CONTAINERID", "c1",
                "CNI_NETNS", "/run/netns/x", "CNI_IFNAME", "eth1", "CNI_PATH", "/opt/cni/bin"));
        env.put("CNI_ARGS", args);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Skeleton.run(new StaticPlugin(), env, new ByteArrayInputStream(conf.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        return new Run(status, out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", ""));
    }

    private static String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"n\",\"type\":\"macvlan\",\"ipam\":{\"type\":\"static\","
                + "\"addresses\":[{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}],"
                + "\"routes\":[{\"dst\":\"10.0.0.0/8\"}]}}";
    }

    @Test
    void addPrintsTheResultInTheConfigVersion() {
        assertEquals(new Run(0, "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\",\"gateway\":"
                + "\"192.168.100.1\"}],\"routes\":[{\"dst\":\"10.0.0.0/8\"}]}"), run("ADD", "", conf("1.0.0")));
        assertEquals(new Run(0, "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"192.168.100.10/24\","
                + "\"gateway\":\"192.168.100.1\"}],\"routes\":[{\"dst\":\"10.0.0.0/8\"}]}"), run("ADD", "", conf("0.3.1")));
        assertEquals(new Run(0, "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"192.168.100.10/24\",\"gateway\":"
                + "\"192.168.100.1\",\"routes\":[{\"dst\":\"10.0.0.0/8\"}]}}"), run("ADD", "", conf("0.2.0")));
    }

    @Test
    void cniArgsIpNeedsNoIgnoreUnknownButOtherKeysDo() {
        assertTrue(run("ADD", "IP=10.9.0.2/24", conf("1.0.0")).out().contains("10.9.0.2/24"));
        Run unknown = run("ADD", "FOO=bar", conf("1.0.0"));
        assertEquals(1, unknown.status());
        assertTrue(unknown.out().contains("\"code\":4"), unknown.out());
        assertEquals(0, run("ADD", "IgnoreUnknown=true;FOO=bar", conf("1.0.0")).status());
    }

    @Test
    void delIsANoOpCheckNeedsPrevResultStatusIsReady() {
        assertEquals(new Run(0, ""), run("DEL", "", conf("1.0.0")));
        assertEquals(new Run(0, ""), run("DEL", "", "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"type\":\"x\"}"));
        Run check = run("CHECK", "", conf("1.0.0"));
        assertTrue(check.out().contains("\"msg\":\"requiredprevResultmissing\""), check.out());
        String withPrev = conf("1.0.0").replace("}}", "},\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":"
                + "\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\"}]}}");
        assertEquals(0, run("CHECK", "", withPrev).status());
        assertEquals(new Run(0, ""), run("STATUS", "", conf("1.1.0")));
    }

    @Test
    void malformedConfigIsACode7ErrorObjectNamingTheField() {
        Run r = run("ADD", "", conf("1.0.0").replace("192.168.100.10/24", "192.168.100.10"));
        assertEquals(1, r.status());
        assertTrue(r.out().contains("\"code\":7") && r.out().contains("/ipam/addresses/0/address"), r.out());
    }
}

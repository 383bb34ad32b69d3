package io.netattach.plugin.chain;

import io.netattach.cni.CniException;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChainRunnerTest {

    private static final String LIST = """
            {"cniVersion":"1.0.0","name":"management-net","plugins":[
              {"type":"macvlan","name":"ignored","cniVersion":"0.3.1","master":"br-ex",
               "capabilities":{"ips":true,"mac":false},
               "ipam":{"type":"static","addresses":[{"address":"192.168.100.10/24","gateway":"192.168.100.1"}]}},
              {"type":"route-override","addroutes":[{"dst":"10.0.0.0/8","gw":"192.168.100.1"}]}]}""";

    private static final JsonObject CAPS = (JsonObject) Json.parse(
            "{\"ips\":[\"192.168.100.20/24\"],\"mac\":\"02:00:00:00:00:01\",\"portMappings\":[]}");

    record Call(String type, JsonObject conf, Map<String, String> env) {
    }

    /** Records calls; answers ADD with a result naming the plugin in a route so the chaining is visible. */
    static final class Recorder implements PluginInvoker {
        final List<Call> calls = new ArrayList<>();
        String failType;

        @Override
        public String invoke(String type, String stdin, Map<String, String> env) {
            calls.add(new Call(type, (JsonObject) Json.parse(stdin), env));
            if (type.equals(failType)) {
                throw new CniException(7, type + " failed");
            }
            int n = calls.size();
            return "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"sandbox\":\"/run/netns/p\"}],"
                    + "\"ips\":[{\"address\":\"192.168.100.10/24\",\"interface\":0}],"
                    + "\"routes\":[{\"dst\":\"10." + n + ".0.0/16\"}]}";
        }
    }

    private final RuntimeConf rt = new RuntimeConf("c1", "/run/netns/p", "eth1",
            List.of(Map.entry("IgnoreUnknown", "true"), Map.entry("K8S_POD_NAME", "pod")), CAPS);

    @Test
    void runtimeConfigHoldsOnlyDeclaredCapabilitiesTheRuntimeHas() {
        NetworkConfigList list = ChainRunner.parse(LIST);
        assertEquals("{\"ips\":[\"192.168.100.20/24\"]}",
                ChainRunner.runtimeConfig(list.plugins().get(0), CAPS).toJson());
        assertEquals("{}", ChainRunner.runtimeConfig(list.plugins().get(1), CAPS).toJson());
    }

    @Test
    void requestConfigInjectsNameVersionRuntimeConfigAndKeepsTheRest() {
        NetworkConfigList list = ChainRunner.parse(LIST);
        JsonObject first = ChainRunner.requestConfig(list, 0, null, CAPS);
        assertEquals("management-net", ((io.netattach.cni.JsonValue.JsonString) first.get("name").orElseThrow()).value());
        assertEquals("\"1.0.0\"", first.get("cniVersion").orElseThrow().toJson());
        assertEquals("{\"ips\":[\"192.168.100.20/24\"]}", first.get("runtimeConfig").orElseThrow().toJson());
        assertTrue(first.has("capabilities"), "libcni leaves capabilities in place");
        assertTrue(first.has("ipam"));
        assertFalse(first.has("prevResult"), "no prevResult for the first ADD of a chain");
        JsonObject second = ChainRunner.requestConfig(list, 1, Result.parse(
                "{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\"}]}", "r",
                io.netattach.cni.CniVersion.V1_0_0), CAPS);
        assertFalse(second.has("runtimeConfig"), "no runtimeConfig without declared capabilities");
        assertEquals("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"192.168.100.10/24\"}]}",
                second.get("prevResult").orElseThrow().toJson());
    }

    @Test
    void addChainsResultsAndDelRunsInReverseWithTheFinalResult() {
        Recorder rec = new Recorder();
        ChainRunner runner = new ChainRunner(rec, List.of(Path.of("/opt/cni/bin"), Path.of("/usr/lib/cni")));
        NetworkConfigList list = ChainRunner.parse(LIST);
        Result result = runner.add(list, rt);
        assertEquals("10.2.0.0/16", result.routes().getFirst().dst().toString());
        assertEquals(List.of("macvlan", "route-override"), rec.calls.stream().map(Call::type).toList());
        assertEquals("10.1.0.0/16", Json.write(rec.calls.get(1).conf().get("prevResult").orElseThrow())
                .replaceAll(".*\"dst\":\"([^\"]+)\".*", "$1"));
        Map<String, String> env = rec.calls.getFirst().env();
        assertEquals("ADD", env.get("CNI_COMMAND"));
        assertEquals("c1", env.get("CNI_CONTAINERID"));
        assertEquals("/run/netns/p", env.get("CNI_NETNS"));
        assertEquals("eth1", env.get("CNI_IFNAME"));
        assertEquals("IgnoreUnknown=true;K8S_POD_NAME=pod", env.get("CNI_ARGS"));
        assertEquals("/opt/cni/bin:/usr/lib/cni", env.get("CNI_PATH"));

        rec.calls.clear();
        runner.del(list, rt, result);
        assertEquals(List.of("route-override", "macvlan"), rec.calls.stream().map(Call::type).toList());
        for (Call c : rec.calls) {
            assertEquals("DEL", c.env().get("CNI_COMMAND"));
            assertEquals(result.toJson(io.netattach.cni.CniVersion.V1_0_0).toJson(),
                    c.conf().get("prevResult").orElseThrow().toJson());
        }

        rec.calls.clear();
        runner.check(list, rt, result);
        assertEquals(List.of("macvlan", "route-override"), rec.calls.stream().map(Call::type).toList());
        assertEquals("CHECK", rec.calls.getFirst().env().get("CNI_COMMAND"));
    }

    @Test
    void delBefore040CarriesNoPrevResultAndCheckIsRefused() {
        Recorder rec = new Recorder();
        ChainRunner runner = new ChainRunner(rec, List.of());
        NetworkConfigList list = ChainRunner.parse(LIST.replace("\"cniVersion\":\"1.0.0\",\"name\"",
                "\"cniVersion\":\"0.3.1\",\"name\""));
        Result result = runner.add(list, rt);
        rec.calls.clear();
        runner.del(list, rt, result);
        assertTrue(rec.calls.stream().noneMatch(c -> c.conf().has("prevResult")));
        CniException e = assertThrows(CniException.class, () -> runner.check(list, rt, result));
        assertEquals(1, e.code());
    }

    @Test
    void failedAddIsCleanedUpByDelOfTheWholeChain() {
        Recorder rec = new Recorder();
        rec.failType = "route-override";
        ChainRunner runner = new ChainRunner(rec, List.of());
        CniException e = assertThrows(CniException.class, () -> runner.addOrCleanUp(ChainRunner.parse(LIST), rt));
        assertEquals("route-override failed", e.error().msg());
        assertEquals(List.of("macvlan", "route-override", "route-override", "macvlan"),
                rec.calls.stream().map(Call::type).toList());
        assertEquals("DEL", rec.calls.get(3).env().get("CNI_COMMAND"));
    }

    @Test
    void singleConfigBecomesAListOfOne() {
        NetworkConfigList list = ChainRunner.parse("{\"cniVersion\":\"0.4.0\",\"name\":\"n\",\"type\":\"macvlan\"}");
        assertEquals(1, list.plugins().size());
        assertEquals("n", list.name());
    }

    @Test
    void pathTraversalInTypeIsRefused() {
        NetworkConfigList list = ChainRunner.parse("{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"plugins\":[{\"type\":\"../../bin/sh\"}]}");
        CniException e = assertThrows(CniException.class, () -> new ChainRunner(new Recorder(), List.of()).add(list, rt));
        assertTrue(e.getMessage().contains("plugin type \"../../bin/sh\" is not a plain file name"), e.getMessage());
    }

    @Test
    void statusEnvironmentHasOnlyCommandAndPath() {
        Map<String, String> env = ChainRunner.environment("STATUS", rt, List.of(Path.of("/a")));
        assertEquals(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/a"), env);
    }

    @Test
    void pluginErrorsAreParsedAsLibcniDoes() {
        assertEquals("bad", ExecPluginInvoker.pluginError("x", "{\"code\":7,\"msg\":\"bad\"}", "").error().msg());
        assertEquals(7, ExecPluginInvoker.pluginError("x", "{\"code\":7,\"msg\":\"bad\"}", "").code());
        assertEquals("panic: boom", ExecPluginInvoker.pluginError("x", "", "panic: boom\n").error().msg());
        assertTrue(ExecPluginInvoker.pluginError("x", "not json", "").error().msg()
                .startsWith("netplugin failed but error parsing its diagnostic message \"not json\""));
        assertNull(null);
    }
}

package io.netattach.plugin;

import io.netattach.cni.CniError;
import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Interface;
import io.netattach.cni.IpConfig;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetConf;
import io.netattach.cni.Result;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CNI protocol through the skeleton with injected environment, stdin and stdout (no root). */
class SkeletonTest {

    /** Records calls; ADD returns one interface and address. */
    static class Recorder implements Plugin {
        final List<String> calls = new ArrayList<>();
        CniRequest last;
        RuntimeException failWith;
        Error errorWith;

        @Override
        public String name() {
            return "recorder";
        }

        @Override
        public java.util.Set<String> knownArgs() {
            return java.util.Set.of("IP");
        }

        private void record(String verb, CniRequest r) {
            calls.add(verb);
            last = r;
            if (failWith != null) {
                throw failWith;
            }
            if (errorWith != null) {
                throw errorWith;
            }
        }

        @Override
        public Result add(CniRequest r, NetConf conf) {
            record("ADD", r);
            return Result.empty(CniVersion.CURRENT)
                    .withInterfaces(List.of(new Interface("eth1", "02:00:00:00:00:01", r.netns())))
                    .withIps(List.of(new IpConfig(IpPrefix.parse("10.1.0.5/16").orElseThrow(), null, 0)));
        }

        @Override
        public void del(CniRequest r, NetConf conf) {
            record("DEL", r);
        }

        @Override
        public void check(CniRequest r, NetConf conf) {
            record("CHECK", r);
        }

        @Override
        public void status(CniRequest r, NetConf conf) {
            record("STATUS", r);
        }

        @Override
        public void gc(CniRequest r, NetConf conf) {
            record("GC", r);
        }
    }

    record Run(int exit, String stdout, String stderr) {
        JsonObject json() {
            return (JsonObject) Json.parse(stdout);
        }

        long code() {
            return ((JsonValue.JsonNumber) json().get("code").orElseThrow()).longValue().orElseThrow();
        }

        String msg() {
            return ((JsonValue.JsonString) json().get("msg").orElseThrow()).value();
        }

        String details() {
            return json().get("details").map(v -> ((JsonValue.JsonString) v).value()).orElse("");
        }
    }

    static Map<String, String> env(String command) {
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", "c0ffee");
        env.put("CNI_NETNS", "/var/run/netns/pod");
        env.put("CNI_IFNAME", "eth1");
        env.put("CNI_PATH", "/opt/cni/bin:/usr/lib/cni");
        return env;
    }

    static Run run(Plugin p, Map<String, String> env, String stdin) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Skeleton.run(p, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String conf(String version) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"net\",\"type\":\"recorder\"}";
    }

    @Test
    void addPassesTheRequestRecordAndPrintsTheResult() {
        Recorder p = new Recorder();
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IgnoreUnknown=true;K8S_POD_NAME=web;FOO=bar");
        Run r = run(p, env, conf("1.0.0"));
        assertEquals(0, r.exit, r.stdout);
        assertEquals(List.of("ADD"), p.calls);
        assertEquals("c0ffee", p.last.containerId());
        assertEquals("/var/run/netns/pod", p.last.netns());
        assertEquals("eth1", p.last.ifname());
        assertEquals(List.of("/opt/cni/bin", "/usr/lib/cni"), p.last.path());
        assertEquals("web", p.last.args().get("K8S_POD_NAME"));
        assertEquals(conf("1.0.0"), p.last.stdin());
        assertEquals("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"mac\":\"02:00:00:00:00:01\","
                + "\"sandbox\":\"/var/run/netns/pod\"}],\"ips\":[{\"interface\":0,\"address\":\"10.1.0.5/16\"}]}",
                Json.write(Json.parse(r.stdout)));
    }

    @Test
    void resultIsConvertedToTheConfigVersion() {
        Run r = run(new Recorder(), env("ADD"), conf("0.4.0"));
        assertEquals(0, r.exit);
        assertTrue(r.stdout.contains("\"version\": \"4\""), r.stdout);
        assertTrue(r.stdout.contains("\"cniVersion\": \"0.4.0\""), r.stdout);
        Run legacy = run(new Recorder(), env("ADD"), conf("0.2.0"));
        assertTrue(legacy.stdout.contains("\"ip4\""), legacy.stdout);
    }

    @Test
    void missingVariablesAreAllReportedAtOnce() {
        Map<String, String> env = new HashMap<>(Map.of("CNI_COMMAND", "ADD"));
        Run r = run(new Recorder(), env, conf("1.0.0"));
        assertEquals(1, r.exit);
        assertEquals(4, r.code());
        assertEquals("required env variables [CNI_CONTAINERID,CNI_NETNS,CNI_IFNAME,CNI_PATH] missing", r.msg());
    }

    @Test
    void delDoesNotNeedNetns() {
        Recorder p = new Recorder();
        Map<String, String> env = env("DEL");
        env.remove("CNI_NETNS");
        Run r = run(p, env, conf("1.0.0"));
        assertEquals(0, r.exit, r.stdout);
        assertEquals("", r.stdout);
        assertEquals("", p.last.netns());
        env.remove("CNI_IFNAME");
        assertEquals("required env variables [CNI_IFNAME] missing", run(p, env, conf("1.0.0")).msg());
    }

    @Test
    void statusAndGcNeedOnlyCommandAndPath() {
        Recorder p = new Recorder();
        Run status = run(p, new HashMap<>(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/opt/cni/bin")), conf("1.1.0"));
        assertEquals(0, status.exit, status.stdout);
        Run gc = run(p, new HashMap<>(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/opt/cni/bin")), conf("1.1.0"));
        assertEquals(0, gc.exit, gc.stdout);
        assertEquals(List.of("STATUS", "GC"), p.calls);
        Run noPath = run(p, new HashMap<>(Map.of("CNI_COMMAND", "GC")), conf("1.1.0"));
        assertEquals("required env variables [CNI_PATH] missing", noPath.msg());
    }

    @Test
    void missingAndUnknownCommand() {
        Run missing = run(new Recorder(), new HashMap<>(), conf("1.0.0"));
        assertEquals(4, missing.code());
        assertEquals("required env variables [CNI_COMMAND] missing", missing.msg());
        Run unknown = run(new Recorder(), env("FROB"), conf("1.0.0"));
        assertEquals(4, unknown.code());
        assertEquals("unknown CNI_COMMAND: \"FROB\"", unknown.msg());
    }

    @Test
    void versionNeedsNothingButTheCommand() {
        Run r = run(new Recorder(), new HashMap<>(Map.of("CNI_COMMAND", "VERSION")), "not json at all");
        assertEquals(0, r.exit);
        assertEquals("{\"cniVersion\":\"1.1.0\",\"supportedVersions\":[\"0.1.0\",\"0.2.0\",\"0.3.0\",\"0.3.1\","
                + "\"0.4.0\",\"1.0.0\",\"1.1.0\"]}", Json.write(Json.parse(r.stdout)));
    }

    @Test
    void interfaceNameRules() {
        for (String[] c : new String[][]{
                {"eth/1", "invalid CNI_IFNAME \"eth/1\": it contains \"/\""},
                {"eth 1", "invalid CNI_IFNAME \"eth 1\": it contains whitespace or a control character"},
                {"eth:1", "invalid CNI_IFNAME \"eth:1\": it contains \":\""},
                {"..", "invalid CNI_IFNAME \"..\": \".\" and \"..\" are not allowed"},
                {"abcdefghijklmnop", "invalid CNI_IFNAME \"abcdefghijklmnop\": it is 16 bytes long, the limit is 15 bytes of UTF-8"},
                {"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "invalid CNI_IFNAME \"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\": it is 16 bytes long, the limit is 15 bytes of UTF-8"}}) {
            Map<String, String> env = env("ADD");
            env.put("CNI_IFNAME", c[0]);
            Run r = run(new Recorder(), env, conf("1.0.0"));
            assertEquals(4, r.code(), c[0]);
            assertEquals(c[1], r.msg());
        }
        Map<String, String> env = env("ADD");
        env.put("CNI_IFNAME", "abcdefghijklmno");
        assertEquals(0, run(new Recorder(), env, conf("1.0.0")).exit);
    }

    @Test
    void containerIdRules() {
        Map<String, String> env = env("ADD");
        env.put("CNI_CONTAINERID", "-bad/id");
        Run r = run(new Recorder(), env, conf("1.0.0"));
        assertEquals(4, r.code());
        assertEquals("invalid characters in CNI_CONTAINERID \"-bad/id\"", r.msg());
    }

    @Test
    void cniArgsUnknownKeysNeedIgnoreUnknown() {
        Map<String, String> env = env("ADD");
        env.put("CNI_ARGS", "IP=10.1.0.5;FOO=bar");
        Run r = run(new Recorder(), env, conf("1.0.0"));
        assertEquals(4, r.code());
        assertEquals("CNI_ARGS: unknown args [FOO] (set IgnoreUnknown=true to ignore them)", r.msg());
        env.put("CNI_ARGS", "IP=10.1.0.5;nonsense");
        assertEquals("CNI_ARGS: invalid pair \"nonsense\" (expected KEY=VALUE)", run(new Recorder(), env, conf("1.0.0"))
                .msg());
        env.put("CNI_ARGS", "IP=10.1.0.5;K8S_POD_NAMESPACE=default");
        assertEquals(0, run(new Recorder(), env, conf("1.0.0")).exit);
    }

    @Test
    void unknownVersionIsCodeOneListingSupported() {
        Run r = run(new Recorder(), env("ADD"), conf("0.5.0"));
        assertEquals(1, r.code());
        assertEquals("incompatible CNI versions", r.msg());
        assertEquals("config is \"0.5.0\", plugin supports [\"0.1.0\" \"0.2.0\" \"0.3.0\" \"0.3.1\" \"0.4.0\" "
                + "\"1.0.0\" \"1.1.0\"]", r.details());
    }

    @Test
    void verbsNeedTheirVersion() {
        Run check = run(new Recorder(), env("CHECK"), conf("0.3.1"));
        assertEquals(1, check.code());
        assertEquals("config version does not allow CHECK", check.msg());
        Map<String, String> statusEnv = new HashMap<>(Map.of("CNI_COMMAND", "STATUS", "CNI_PATH", "/x"));
        Run status = run(new Recorder(), statusEnv, conf("1.0.0"));
        assertEquals(1, status.code());
        assertEquals("config version does not allow STATUS", status.msg());
        Map<String, String> gcEnv = new HashMap<>(Map.of("CNI_COMMAND", "GC", "CNI_PATH", "/x"));
        assertEquals("config version does not allow GC", run(new Recorder(), gcEnv, conf("1.0.0")).msg());
        assertEquals(0, run(new Recorder(), env("CHECK"), conf("0.4.0")).exit);
    }

    @Test
    void missingCniVersionMeansZeroOneZero() {
        Run r = run(new Recorder(), env("CHECK"), "{\"name\":\"n\",\"type\":\"recorder\"}");
        assertEquals("config version does not allow CHECK", r.msg());
    }

    @Test
    void malformedJsonIsCodeSix() {
        Run r = run(new Recorder(), env("ADD"), "{\"cniVersion\":\"1.0.0\",");
        assertEquals(1, r.exit);
        assertEquals(6, r.code());
        assertTrue(r.msg().startsWith("error parsing network configuration: "), r.msg());
        Run empty = run(new Recorder(), env("ADD"), "");
        assertEquals(6, empty.code());
    }

    @Test
    void wrongTypeIsCodeSeven() {
        Run r = run(new Recorder(), env("ADD"), "{\"cniVersion\":\"1.0.0\",\"name\":\"n\",\"ipam\":[]}");
        assertEquals(7, r.code());
        assertEquals("field \"ipam\": expected an object, got []", r.msg());
    }

    @Test
    void pluginErrorsAreCniErrorsInTheConfigVersion() {
        Recorder p = new Recorder();
        p.failWith = new CniException(CniError.CODE_TRY_AGAIN_LATER, "busy", "retry");
        Run r = run(p, env("ADD"), conf("0.4.0"));
        assertEquals(1, r.exit);
        assertEquals("{\"cniVersion\":\"0.4.0\",\"code\":11,\"msg\":\"busy\",\"details\":\"retry\"}",
                Json.write(Json.parse(r.stdout)));
    }

    @Test
    void unexpectedExceptionsNeverLeakAStackTraceToStdout() {
        Recorder p = new Recorder();
        p.failWith = new IllegalStateException("kaboom\n\tat somewhere");
        Run r = run(p, env("DEL"), conf("1.0.0"));
        assertEquals(1, r.exit);
        assertEquals(999, r.code());
        assertEquals("kaboom", r.msg());
        assertFalse(r.stdout.contains("\tat "));
        assertTrue(r.stderr.startsWith("recorder: java.lang.IllegalStateException: kaboom"), r.stderr);
        Recorder q = new Recorder();
        q.errorWith = new OutOfMemoryError();
        Run oom = run(q, env("DEL"), conf("1.0.0"));
        assertEquals(999, oom.code());
        assertEquals("OutOfMemoryError", oom.msg());
    }

    @Test
    void pluginWithFewerVersionsRejectsOthers() {
        Plugin narrow = new Recorder() {
            @Override
            public List<CniVersion> supportedVersions() {
                return List.of(CniVersion.V1_0_0);
            }
        };
        Run r = run(narrow, env("ADD"), conf("0.4.0"));
        assertEquals("config is \"0.4.0\", plugin supports [\"1.0.0\"]", r.details());
    }
}

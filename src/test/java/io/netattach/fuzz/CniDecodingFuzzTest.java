package io.netattach.fuzz;

import io.netattach.cni.CniException;
import io.netattach.cni.CniVersion;
import io.netattach.cni.Dns;
import io.netattach.cni.Interface;
import io.netattach.cni.IpConfig;
import io.netattach.cni.IpPrefix;
import io.netattach.cni.Json;
import io.netattach.cni.JsonValue;
import io.netattach.cni.JsonValue.JsonObject;
import io.netattach.cni.NetConf;
import io.netattach.cni.NetworkConfigList;
import io.netattach.cni.Result;
import io.netattach.cni.Route;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CNI config and result decoding ({@code io.netattach.cni}): malformed input fails with a
 * {@link CniException} of code 6 or 7 only, and generated results convert across versions as the
 * spec's conversion rules say.
 */
class CniDecodingFuzzTest {

    static final List<String> RESULT_SEEDS = List.of(
            "{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth1\",\"mac\":\"02:00:00:00:00:01\",\"sandbox\":\"/var/run/netns/x\"}],"
                    + "\"ips\":[{\"address\":\"192.168.100.10/24\",\"gateway\":\"192.168.100.1\",\"interface\":0}],"
                    + "\"routes\":[{\"dst\":\"10.0.0.0/8\",\"gw\":\"192.168.100.1\"}],\"dns\":{\"nameservers\":[\"10.0.0.53\"]}}",
            "{\"cniVersion\":\"0.3.1\",\"ips\":[{\"version\":\"4\",\"address\":\"10.1.1.2/24\"},{\"version\":\"6\",\"address\":\"fd00::2/64\",\"gateway\":\"fd00::1\"}]}",
            "{\"cniVersion\":\"0.2.0\",\"ip4\":{\"ip\":\"10.1.1.2/24\",\"gateway\":\"10.1.1.1\",\"routes\":[{\"dst\":\"0.0.0.0/0\"}]},\"dns\":{}}",
            "{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"eth1\",\"mtu\":1500,\"socketPath\":\"/s\",\"pciID\":\"0000:00:01.0\"}],"
                    + "\"routes\":[{\"dst\":\"10.0.0.0/8\",\"mtu\":1400,\"advmss\":1360,\"priority\":4294967295,\"table\":100,\"scope\":253}]}");

    static void cleanCniFailure(Runnable decode) {
        try {
            decode.run();
        } catch (CniException e) {
            assertTrue(e.code() == 6 || e.code() == 7, "code " + e.code() + ": " + e.getMessage());
            Checks.oneLineMessage(e.error().msg(), "CniException");
        }
    }

    static void decodeEverything(String text) {
        cleanCniFailure(() -> {
            for (CniVersion fallback : CniVersion.values()) {
                Result result = Result.parse(text, "prevResult", fallback);
                // Whatever decoded also encodes in its own version without an exception (results without
                // addresses cannot be written as 0.1.0/0.2.0: that is a documented internal error).
                if (result.cniVersion().supportsChaining() || !result.ips().isEmpty()) {
                    result.toJson(result.cniVersion());
                }
            }
        });
        cleanCniFailure(() -> {
            NetConf conf = NetConf.parse(text);
            conf.version();
            conf.ipamType();
            conf.argsCni();
            conf.parsedPrevResult();
        });
        cleanCniFailure(() -> {
            JsonValue v;
            try {
                v = Json.parse(text);
            } catch (io.netattach.cni.JsonException e) {
                return;
            }
            NetworkConfigList list = NetworkConfigList.fromJson(v);
            for (int i = 0; i < list.plugins().size(); i++) {
                list.requestConfig(i, null, JsonObject.empty());
            }
        });
    }

    @Test
    void mutatedResultsAndConfigs() {
        List<String> seeds = new ArrayList<>(RESULT_SEEDS);
        seeds.addAll(Seeds.CONFIGS);
        Fuzz.forAll("cni.mutated-text", 1000, r -> Gen.mutateText(r, Gen.pick(r, seeds)), CniDecodingFuzzTest::decodeEverything);
    }

    @Test
    void mutatedResultTrees() {
        Fuzz.forAll("cni.mutated-tree", 1500, r -> {
            JsonValue seed = Json.parse(r.nextInt(3) == 0 ? Gen.pick(r, Seeds.CONFIGS) : Gen.pick(r, RESULT_SEEDS));
            JsonValue mutated = Gen.mutate(r, seed);
            if (r.nextBoolean() && seed instanceof JsonObject conf && mutated instanceof JsonObject m) {
                // a config carrying a mutated prevResult
                mutated = conf.with("prevResult", Gen.mutate(r, Json.parse(Gen.pick(r, RESULT_SEEDS))));
            }
            return Json.write(mutated);
        }, CniDecodingFuzzTest::decodeEverything);
    }

    @Test
    void arbitraryText() {
        Fuzz.forAll("cni.arbitrary", 500, r -> Gen.text(r, 100), CniDecodingFuzzTest::decodeEverything);
    }

    static Result result(Random r) {
        List<Interface> interfaces = new ArrayList<>();
        int ni = r.nextInt(3);
        for (int i = 0; i < ni; i++) {
            interfaces.add(new Interface("eth" + i, r.nextBoolean() ? "02:00:00:00:00:0" + i : "",
                    r.nextBoolean() ? 1000 + r.nextInt(9000) : null, r.nextBoolean() ? "/var/run/netns/p" + i : "",
                    r.nextInt(4) == 0 ? "/run/sock" : "", r.nextInt(4) == 0 ? "0000:00:0" + i + ".0" : ""));
        }
        List<IpConfig> ips = new ArrayList<>();
        int nip = r.nextInt(4);
        for (int i = 0; i < nip; i++) {
            IpPrefix p = IpPrefixFuzzTest.prefix(r);
            InetAddress gw = r.nextBoolean() ? IpPrefixFuzzTest.prefix(r).address() : null;
            ips.add(new IpConfig(p, gw, ni > 0 && r.nextBoolean() ? r.nextInt(ni) : null));
        }
        List<Route> routes = new ArrayList<>();
        int nr = r.nextInt(4);
        for (int i = 0; i < nr; i++) {
            IpPrefix dst = IpPrefixFuzzTest.prefix(r);
            IpPrefix gw = IpPrefixFuzzTest.prefix(r);
            routes.add(new Route(dst, gw.isIpv4() == dst.isIpv4() && r.nextBoolean() ? gw.address() : null,
                    r.nextBoolean() ? r.nextInt(9000) : null, r.nextBoolean() ? r.nextInt(9000) : null,
                    r.nextBoolean() ? r.nextInt() : null, r.nextBoolean() ? r.nextInt() : null,
                    r.nextBoolean() ? r.nextInt(256) : null));
        }
        Dns dns = r.nextBoolean() ? Dns.EMPTY : new Dns(List.of("10.0.0.53"), "example.org", List.of("a.example.org"), List.of("ndots:2"));
        return new Result(CniVersion.CURRENT, interfaces, ips, routes, dns);
    }

    @Test
    void generatedResultsConvertAcrossVersions() {
        Fuzz.forAll("cni.result-versions", 1000, CniDecodingFuzzTest::result, result -> {
            for (CniVersion v : CniVersion.values()) {
                if (!v.supportsChaining()) {
                    if (result.ips().isEmpty()) {
                        continue; // not expressible before 0.3.0 (documented)
                    }
                    Result legacy = Result.parse(Json.write(result.toJson(v)), "r", v);
                    long families = result.ips().stream().map(IpConfig::isIpv4).distinct().count();
                    assertEquals(families, legacy.ips().size(), "one address per family in " + v);
                    for (IpConfig ip : legacy.ips()) {
                        IpConfig first = result.ips().stream().filter(x -> x.isIpv4() == ip.isIpv4()).findFirst().orElseThrow();
                        assertEquals(first.address(), ip.address());
                        assertEquals(first.gateway(), ip.gateway());
                    }
                    continue;
                }
                Result back = Result.parse(Json.write(result.toJson(v)), "r", v);
                assertEquals(v, back.cniVersion());
                assertEquals(result.ips().size(), back.ips().size());
                for (int i = 0; i < result.ips().size(); i++) {
                    assertEquals(result.ips().get(i).address(), back.ips().get(i).address());
                    assertEquals(result.ips().get(i).gateway(), back.ips().get(i).gateway());
                    assertEquals(result.ips().get(i).interfaceIndex(), back.ips().get(i).interfaceIndex());
                }
                assertEquals(result.routes(), back.routes());
                assertEquals(result.dns(), back.dns());
                List<Interface> expected = v.atLeast(CniVersion.V1_1_0) ? result.interfaces() : result.interfaces().stream()
                        .map(i -> new Interface(i.name(), i.mac(), i.sandbox())).toList();
                assertEquals(expected, back.interfaces());
                // and converting again gives identical text
                assertEquals(Json.write(result.toJson(v)), Json.write(back.toJson(v)));
            }
        });
    }
}

package io.netattach.validation;

import io.netattach.cni.Finding;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Focused checks per rule family, mostly the accepting side (the corpus holds most rejecting cases). */
class RuleFamiliesTest {

    static final String MACVLAN_STATIC = "{\"type\": \"macvlan\", \"master\": \"eth0\", \"mode\": \"bridge\", "
            + "\"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"192.168.100.10/24\", \"gateway\": \"192.168.100.1\"}]}}";

    static String findings(ObjectNode nad) {
        return Nads.lines(Nads.validate(nad));
    }

    static String chainFindings(String... plugins) {
        return findings(Nads.chain(plugins));
    }

    static String macvlan(String extra) {
        return "{\"type\": \"macvlan\", \"master\": \"eth0\"" + extra + ", \"ipam\": {}}";
    }

    static String macvlanWithIpam(String ipam) {
        return "{\"type\": \"macvlan\", \"master\": \"eth0\", \"ipam\": " + ipam + "}";
    }

    @Nested
    class Metadata {
        @Test
        void generateNameStandsInForAMissingName() {
            ObjectNode nad = Nads.chain(MACVLAN_STATIC);
            ((ObjectNode) nad.get("metadata")).remove("name");
            ((ObjectNode) nad.get("metadata")).put("generateName", "net-");
            assertEquals("", findings(nad));
        }

        @Test
        void subdomainLengthLimitIs253() {
            String longest = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
            assertEquals(253, longest.length());
            String ok = findings(Nads.nad(longest, "{\"cniVersion\": \"1.0.0\", \"plugins\": [" + MACVLAN_STATIC + "]}"));
            assertTrue(ok.startsWith("WARNING /metadata/name: ") && !ok.contains("ERROR"), ok);
            String tooLong = findings(Nads.nad(longest + "e", "{\"cniVersion\": \"1.0.0\", \"plugins\": [" + MACVLAN_STATIC + "]}"));
            assertTrue(tooLong.startsWith("ERROR /metadata/name: metadata.name \"aaaa"), tooLong);
        }

        @Test
        void aConfigWithoutNameTakesTheNadName() {
            assertEquals("", findings(Nads.nad("net", "{\"cniVersion\": \"1.0.0\", \"plugins\": [" + MACVLAN_STATIC + "]}")));
        }
    }

    @Nested
    class NetworkConfig {
        @Test
        void loadOnlyInlinedPluginsNeedsAPluginsList() {
            assertEquals("ERROR /spec/config/loadOnlyInlinedPlugins: loadOnlyInlinedPlugins is true but there is no plugins list\n",
                    findings(Nads.nad("net", "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"loadOnlyInlinedPlugins\": true, "
                            + MACVLAN_STATIC.substring(1))));
        }

        @Test
        void everyReleasedVersionIsAccepted() {
            for (String v : List.of("0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0")) {
                assertEquals("", findings(Nads.nad("net", "{\"cniVersion\": \"" + v + "\", \"name\": \"net\", \"plugins\": ["
                        + MACVLAN_STATIC + "]}")), v);
            }
        }

        @Test
        void keysWithSlashAndTildeAreEscapedInPaths() {
            String out = findings(Nads.nad("net", "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"plugins\": [{\"type\": \"macvlan\", "
                    + "\"master\": \"eth0\", \"cni.dev/x~y\": 1, \"ipam\": {}}]}"));
            assertEquals("WARNING /spec/config/plugins/0/cni.dev~1x~0y: key \"cni.dev/x~y\" is reserved for the runtime (CNI spec): "
                    + "the runtime sets or overwrites it, so it does not belong in the config\n", out);
        }
    }

    @Nested
    class Chains {
        @Test
        void knownPluginTableHasTheKindsTheChainRulesNeed() {
            for (String t : List.of("macvlan", "ipvlan", "bridge", "ptp", "host-device", "vlan", "loopback", "sriov", "ovn-k8s-cni-overlay",
                    "tap", "dummy")) {
                assertEquals(PluginKind.INTERFACE, KnownPlugins.kindOf(t).orElseThrow(), t);
            }
            for (String t : List.of("route-override", "tuning", "portmap", "bandwidth", "sbr", "firewall", "vrf")) {
                assertEquals(PluginKind.CHAINED, KnownPlugins.kindOf(t).orElseThrow(), t);
            }
            for (String t : List.of("static", "host-local", "dhcp", "whereabouts")) {
                assertEquals(PluginKind.IPAM, KnownPlugins.kindOf(t).orElseThrow(), t);
            }
            assertTrue(KnownPlugins.kindOf("no-such-plugin").isEmpty());
        }

        @Test
        void aChainedPluginAfterAnUnknownFirstPluginIsAccepted() {
            assertEquals("WARNING /spec/config/plugins/0/type: type \"vendor-cni\" is not a known plugin: only the generic checks apply\n",
                    chainFindings("{\"type\": \"vendor-cni\"}", "{\"type\": \"tuning\"}"));
        }

        @Test
        void portmapAndBandwidthAfterBridgeAreAccepted() {
            assertEquals("", chainFindings("{\"type\": \"bridge\", \"ipam\": {\"type\": \"host-local\", \"subnet\": \"10.22.0.0/16\"}}",
                    "{\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}",
                    "{\"type\": \"bandwidth\", \"capabilities\": {\"bandwidth\": true}}"));
        }
    }

    @Nested
    class Macvlan {
        @Test
        void defaultsAndBoundariesAreAccepted() {
            assertEquals("", chainFindings(macvlan(", \"mode\": \"\", \"mtu\": 0, \"vlan\": 0, \"mac\": \"0A-58-0A-80-00-05\", "
                    + "\"linkInContainer\": true, \"bcqueuelen\": 4294967295")));
            assertEquals("", chainFindings(macvlan(", \"mtu\": 1500, \"vlan\": 4094, \"mode\": \"passthru\"")));
            assertEquals("", chainFindings(macvlan(", \"mtu\": 68, \"mode\": \"vepa\"")));
        }

        @Test
        void everyModeIsAccepted() {
            for (String mode : io.netattach.cni.conf.MacvlanConfig.MODES) {
                assertEquals("", chainFindings(macvlan(", \"mode\": \"" + mode + "\"")), mode);
            }
        }

        @Test
        void vlanIsSilentWithBundledPluginsAndWarnedWithUpstream() {
            ObjectNode nad = Nads.chain(macvlan(", \"vlan\": 7"));
            assertEquals("", findings(nad));
            assertEquals(1, Nads.validateUpstream(nad).size());
        }
    }

    @Nested
    class StaticIpam {
        @Test
        void ipv4PointToPointAndHostPrefixesAreAccepted() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"static\", \"addresses\": [{\"address\": \"10.0.0.0/31\"}]}")));
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"static\", \"addresses\": [{\"address\": \"10.0.0.7/32\"}]}")));
        }

        @Test
        void ipv6SubnetRouterAddressIsNotFlagged() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"static\", \"addresses\": [{\"address\": \"fd00::/64\"}]}")));
        }

        @Test
        void twoIpv4AddressesAreFineFromVersion030() {
            String config = "{\"cniVersion\": \"0.3.0\", \"name\": \"net\", \"type\": \"macvlan\", \"master\": \"eth0\", "
                    + "\"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"10.1.1.10/24\"}, {\"address\": \"10.2.1.10/24\"}]}}";
            assertEquals("", findings(Nads.nad("net", config)));
        }

        @Test
        void routeGatewayReachableThroughAnyAddressIsAccepted() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"static\", \"addresses\": [{\"address\": \"10.1.1.10/24\"}, "
                    + "{\"address\": \"10.2.1.10/24\"}], \"routes\": [{\"dst\": \"0.0.0.0/0\", \"gw\": \"10.2.1.1\"}]}")));
        }
    }

    @Nested
    class HostLocalAndWhereabouts {
        @Test
        void legacySubnetFormIsAccepted() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"host-local\", \"subnet\": \"10.1.0.0/16\", "
                    + "\"rangeStart\": \"10.1.1.1\", \"rangeEnd\": \"10.1.1.254\", \"gateway\": \"10.1.0.1\", \"dataDir\": \"/var/lib/cni\"}")));
        }

        @Test
        void whereaboutsIpRangesAreAcceptedAndARangeIsRequired() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"whereabouts\", \"ipRanges\": [{\"range\": \"10.5.0.0/24\", "
                    + "\"range_start\": \"10.5.0.10\"}, {\"range\": \"fd00:5::/64\"}], \"gateway\": \"10.5.0.1\"}")));
            assertEquals("ERROR /spec/config/plugins/0/ipam/range: range is missing: whereabouts needs range (CIDR) or a non-empty ipRanges\n",
                    chainFindings(macvlanWithIpam("{\"type\": \"whereabouts\", \"gateway\": \"10.5.0.1\"}")));
        }

        @Test
        void routeOverrideGatewayInAHostLocalRangeIsReachable() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"10.9.0.0/24\"}]]}"),
                    "{\"type\": \"route-override\", \"addroutes\": [{\"dst\": \"10.0.0.0/8\", \"gw\": \"10.9.0.1\"}]}"));
        }
    }

    @Nested
    class RouteOverride {
        @Test
        void allBooleansAndRoutesAreAccepted() {
            assertEquals("", chainFindings(MACVLAN_STATIC, "{\"type\": \"route-override\", \"flushroutes\": false, \"flushgateway\": true, "
                    + "\"skipcheck\": false, \"delroutes\": [{\"dst\": \"0.0.0.0/0\"}], \"addroutes\": [{\"dst\": \"0.0.0.0/0\", \"gw\": \"192.168.100.1\"}]}"));
        }

        @Test
        void unknownAddressingSkipsReachability() {
            assertEquals("", chainFindings(macvlanWithIpam("{\"type\": \"dhcp\"}"),
                    "{\"type\": \"route-override\", \"addroutes\": [{\"dst\": \"fd00::/8\", \"gw\": \"fd00::1\"}]}"));
        }

        @Test
        void version100IsFineWithUpstreamAnd110IsNot() {
            String ro = "{\"type\": \"route-override\", \"addroutes\": [{\"dst\": \"10.0.0.0/8\", \"gw\": \"192.168.100.1\"}]}";
            assertEquals(List.of(), Nads.validateUpstream(Nads.nad("net", "{\"cniVersion\": \"1.0.0\", \"name\": \"net\", \"plugins\": ["
                    + MACVLAN_STATIC + "," + ro + "]}")));
            assertEquals(List.of(), Nads.validate(Nads.nad("net", "{\"cniVersion\": \"1.1.0\", \"name\": \"net\", \"plugins\": ["
                    + MACVLAN_STATIC + "," + ro + "]}")));
        }
    }

    @Nested
    class Api {
        @Test
        void findingsAreAnImmutableListInADeterministicOrder() {
            ObjectNode nad = Nads.chain("{\"type\": \"macvlan\", \"mode\": \"x\", \"mtu\": -1, \"vlan\": 5000, \"ipam\": {\"type\": \"static\"}}");
            List<Finding> first = Nads.validate(nad);
            assertEquals(first, Nads.validate(nad));
            assertThrows(UnsupportedOperationException.class, () -> first.add(Finding.error("/", "x")));
            assertEquals(5, first.size(), Nads.lines(first));
        }

        @Test
        void oneValidatorIsSafeToShareBetweenThreads() throws Exception {
            NadValidator validator = new NadValidator();
            List<ObjectNode> nads = List.of(Nads.chain(MACVLAN_STATIC), Nads.chain(macvlan(", \"mode\": \"bridged\"")),
                    Nads.chain("{\"type\": \"route-override\"}", MACVLAN_STATIC));
            List<List<Finding>> expected = nads.stream().map(validator::validate).toList();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    results.add(pool.submit(() -> {
                        for (int i = 0; i < 500; i++) {
                            int k = i % nads.size();
                            if (!validator.validate(nads.get(k)).equals(expected.get(k))) {
                                return false;
                            }
                        }
                        return true;
                    }));
                }
                for (Future<Boolean> r : results) {
                    assertTrue(r.get());
                }
            }
        }
    }
}

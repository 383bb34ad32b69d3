package io.netattach.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;
import io.netattach.cni.IpPrefix;
import io.netattach.injection.NadInfo;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link SegmentIndex} and the cross-namespace shared-segment check of {@link NadPlans}. */
public class SegmentIndexTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A macvlan NAD with static addresses; {@code vlan} 0 for none, {@code master} null for none. */
    public static JsonNode nad(String namespace, String name, String master, int vlan, String... addresses) {
        StringBuilder addrs = new StringBuilder();
        for (String a : addresses) {
            addrs.append(addrs.isEmpty() ? "" : ",").append("{\"address\":\"").append(a).append("\"}");
        }
        String config = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"plugins\":[{\"type\":\"macvlan\""
                + (master == null ? "" : ",\"master\":\"" + master + "\"") + (vlan == 0 ? "" : ",\"vlan\":" + vlan)
                + ",\"ipam\":{\"type\":\"static\",\"addresses\":[" + addrs + "]}}]}";
        ObjectNode nad = JSON.createObjectNode();
        nad.put("apiVersion", "k8s.cni.cncf.io/v1").put("kind", "NetworkAttachmentDefinition");
        nad.putObject("metadata").put("name", name).put("namespace", namespace);
        nad.putObject("spec").put("config", config);
        return nad;
    }

    static NadInfo info(JsonNode nad) {
        return NadInfo.fromManifest(nad, "default");
    }

    private static InetAddress ip(String s) {
        return IpPrefix.parse(s + "/32").orElseThrow().address();
    }

    private static List<String> messages(List<Finding> findings) {
        return findings.stream().map(f -> f.path() + " " + f.message()).toList();
    }

    @Test
    void indexesStaticMacvlanAddressesByMasterVlanAndAddressAcrossNamespaces() {
        SegmentIndex index = SegmentIndex.of(List.of(
                info(nad("team-a", "n1", "br-ex", 100, "192.168.100.10/24", "192.168.100.11/24")),
                info(nad("team-b", "n2", "br-ex", 100, "192.168.100.10/24")),
                info(nad("team-c", "n3", "br-ex", 200, "192.168.100.10/24")),
                info(nad("team-d", "n4", "eth1", 100, "192.168.100.10/24"))));
        assertEquals(Set.of("team-a/n1", "team-b/n2"), index.holders("br-ex", Optional.of(100), ip("192.168.100.10")));
        assertEquals(Set.of("team-a/n1"), index.holders("br-ex", Optional.of(100), ip("192.168.100.11")));
        assertEquals(Set.of("team-c/n3"), index.holders("br-ex", Optional.of(200), ip("192.168.100.10")));
        assertEquals(Set.of(), index.holders("br-ex", Optional.empty(), ip("192.168.100.10")));
        assertEquals(4, index.size());
    }

    @Test
    void followsChangesAndDeletes() {
        SegmentIndex index = new SegmentIndex();
        index.put(info(nad("a", "n", "br-ex", 100, "10.1.0.5/24")));
        index.put(info(nad("b", "m", "br-ex", 100, "10.1.0.5/24")));
        assertEquals(Set.of("a/n", "b/m"), index.holders("br-ex", Optional.of(100), ip("10.1.0.5")));
        index.put(info(nad("a", "n", "br-ex", 100, "10.1.0.6/24"))); // a/n changed its address
        assertEquals(Set.of("b/m"), index.holders("br-ex", Optional.of(100), ip("10.1.0.5")));
        assertEquals(Set.of("a/n"), index.holders("br-ex", Optional.of(100), ip("10.1.0.6")));
        index.remove("b/m");
        assertEquals(Set.of(), index.holders("br-ex", Optional.of(100), ip("10.1.0.5")));
        index.replaceAll(List.of(info(nad("c", "o", "br-ex", 100, "10.1.0.6/24"))));
        assertEquals(Set.of("c/o"), index.holders("br-ex", Optional.of(100), ip("10.1.0.6")));
        assertEquals(1, index.size());
    }

    @Test
    void nadsWithoutStaticMacvlanAddressesAreNotIndexed() {
        ObjectNode bridge = (ObjectNode) nad("a", "bridge", "br-ex", 100, "10.1.0.5/24");
        bridge.withObjectProperty("spec").put("config", "{\"cniVersion\":\"1.0.0\",\"name\":\"b\",\"type\":\"bridge\",\"ipam\":{\"type\":\"static\",\"addresses\":[{\"address\":\"10.1.0.5/24\"}]}}");
        ObjectNode broken = (ObjectNode) nad("a", "broken", "br-ex", 100, "10.1.0.5/24");
        broken.withObjectProperty("spec").put("config", "{not json");
        SegmentIndex index = SegmentIndex.of(List.of(info(bridge), info(broken)));
        assertEquals(0, index.size());
    }

    @Test
    void aNadInAnotherNamespaceOnTheSameMasterAndVlanIsNamedNamespaceSlashName() {
        JsonNode mine = nad("team-a", "mine", "br-ex", 100, "192.168.100.10/24");
        SegmentIndex index = SegmentIndex.of(List.of(info(nad("team-b", "theirs", "br-ex", 100, "192.168.100.10/24"))));
        assertEquals(List.of("/spec/config/plugins/0/ipam/addresses/0/address static address 192.168.100.10 is also handed out by"
                        + " team-b/theirs on the same segment (master \"br-ex\", VLAN 100): two pods attached to both would answer"
                        + " ARP for one address"),
                messages(NadPlans.sharedSegment(mine, "team-a", index)));
        // another VLAN, another master: other segments
        assertEquals(List.of(), NadPlans.sharedSegment(nad("team-a", "mine", "br-ex", 101, "192.168.100.10/24"), "team-a", index));
        assertEquals(List.of(), NadPlans.sharedSegment(nad("team-a", "mine", "eth1", 100, "192.168.100.10/24"), "team-a", index));
    }

    @Test
    void theSameNamespaceComesFirstThenTheOthersByNameAndTheNadItselfIsSkipped() {
        JsonNode mine = nad("team-a", "mine", null, 0, "10.9.0.1/24", "10.9.0.2/24");
        SegmentIndex index = SegmentIndex.of(List.of(
                info(nad("team-z", "z", null, 0, "10.9.0.1/24")),
                info(nad("team-b", "b", null, 0, "10.9.0.2/24", "10.9.0.1/24")),
                info(nad("team-a", "x", null, 0, "10.9.0.2/24")),
                info(mine))); // its own old version (UPDATE): not a conflict
        List<String> found = new ArrayList<>();
        for (Finding f : NadPlans.sharedSegment(mine, "team-a", index)) {
            found.add(f.path().substring(f.path().length() - "0/address".length()) + " "
                    + f.message().substring(f.message().indexOf(" by ") + 4, f.message().indexOf(" on the same")));
            assertTrue(f.message().contains("(master \"(default route interface)\", no VLAN)"), f.message());
        }
        assertEquals(List.of("1/address team-a/x", "0/address team-b/b", "1/address team-b/b", "0/address team-z/z"), found);
    }

    @Test
    void theCollectionFormKeepsTheSameNamespaceBehaviour() {
        JsonNode mine = nad("team-a", "mine", "br-ex", 100, "192.168.100.10/24");
        assertEquals(1, NadPlans.sharedSegment(mine, List.of(info(nad("team-a", "other", "br-ex", 100, "192.168.100.10/24")))).size());
        assertEquals(List.of(), NadPlans.sharedSegment(mine, List.of(info(mine))));
    }
}

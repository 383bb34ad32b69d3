package io.netattach.cli;

import io.netattach.manifest.ManifestReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code lint} on real files in temporary directories. */
class LintCommandTest {

    @TempDir
    Path dir;

    static final String MODE_TYPO_CONFIG = """
            {"cniVersion": "1.0.0", "name": "bad-net", "plugins": [{"type": "macvlan", "master": "eth0", "mode": "bridged", "ipam": {}}]}""";
    static final String MODE_TYPO_LINE = "ERROR /spec/config/plugins/0/mode: mode \"bridged\" is not one of bridge, private, vepa, passthru";

    /** Result of one run: exit code, stdout, stderr. */
    record Run(int exit, String out, String err) {
    }

    static Run lintWithStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        LintCommand command = new LintCommand(new ManifestReader(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        int exit = command.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run lint(String... args) {
        return lintWithStdin("", args);
    }

    static String nad(String name, String config) {
        return """
                apiVersion: k8s.cni.cncf.io/v1
                kind: NetworkAttachmentDefinition
                metadata:
                  name: %s
                  namespace: test
                spec:
                  config: '%s'
                """.formatted(name, config);
    }

    static String goodConfig(String name) {
        return "{\"cniVersion\": \"1.0.0\", \"name\": \"" + name + "\", \"plugins\": [{\"type\": \"macvlan\", \"master\": \"eth0\", "
                + "\"mode\": \"bridge\", \"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"10.1.1.10/24\"}]}}]}";
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void seedExamplesPassWithExitZeroAndNoOutput() {
        Run run = lint("deploy/examples/management.yaml", "deploy/examples/sip.yaml", "deploy/examples/pod.yaml");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.out());
        assertEquals("lint: 3 files, 2 NetworkAttachmentDefinitions, 1 other document skipped: 0 errors, 0 warnings\n", run.err());
    }

    @Test
    void theWholeExamplesDirectoryHasNoErrors() {
        Run run = lint("deploy/examples");
        assertEquals(0, run.exit(), run.out() + run.err());
        assertTrue(run.err().matches("lint: \\d+ files, \\d+ NetworkAttachmentDefinitions.*: 0 errors, \\d+ warnings?\n"), run.err());
    }

    @Test
    void errorsPrintFileDocSeverityPathMessageAndExitOne() throws IOException {
        Path file = write("bad.yaml", nad("bad-net", MODE_TYPO_CONFIG));
        Run run = lint(file.toString());
        assertEquals(1, run.exit());
        assertEquals(file + ":1: " + MODE_TYPO_LINE + "\n", run.out());
        assertEquals("lint: 1 file, 1 NetworkAttachmentDefinition: 1 error, 0 warnings\n", run.err());
    }

    /** A chain the plugins fail on at ADD: lint reports what the webhook denies it for, without --cluster-networks. */
    static final String CHAIN_FAILING_AT_ADD = "{\"cniVersion\": \"1.0.0\", \"name\": \"chain-net\", \"plugins\": [{\"type\": \"macvlan\", "
            + "\"master\": \"eth0\", \"ipam\": {\"type\": \"static\", \"addresses\": [{\"address\": \"192.168.100.10/24\", "
            + "\"gateway\": \"192.168.100.1\"}], \"routes\": [{\"dst\": \"10.0.0.0/8\"}]}}, {\"type\": \"route-override\", "
            + "\"addroutes\": [{\"dst\": \"10.0.0.0/8\", \"gw\": \"192.168.100.254\"}, {\"dst\": \"172.16.0.0/12\", \"gw\": \"192.168.7.1\"}]}]}";

    @Test
    void theNetworkPlanOfTheChainIsReportedAsTheWebhookDoesWithoutClusterNetworks() throws IOException {
        Path file = write("chain.yaml", nad("chain-net", CHAIN_FAILING_AT_ADD));
        Run run = lint(file.toString());
        assertEquals(1, run.exit(), run.out() + run.err());
        assertEquals(file + ":1: ERROR /spec/config/plugins/1/addroutes/0: route 10.0.0.0/8 via 192.168.100.254 dev net1 of test/chain-net (net1)"
                + " collides with 10.0.0.0/8 via 192.168.100.1 dev net1, added before by the same network: the kernel refuses the"
                + " second (file exists): route-override's ADD fails and the pod does not start\n"
                + file + ":1: ERROR /spec/config/plugins/1/addroutes/1: route 172.16.0.0/12 via 192.168.7.1 dev net1 of test/chain-net (net1):"
                + " gateway 192.168.7.1 is in no subnet connected to net1 at that point of the chain; the kernel refuses it"
                + " (network unreachable) and route-override's ADD fails\n", run.out());
        assertEquals("lint: 1 file, 1 NetworkAttachmentDefinition: 2 errors, 0 warnings\n", run.err());

        // the same chain as a bare .conflist: the same findings, paths into the file
        Path conflist = write("chain.conflist", CHAIN_FAILING_AT_ADD);
        Run bare = lint(conflist.toString());
        assertEquals(1, bare.exit(), bare.out() + bare.err());
        assertEquals(run.out().replace(file + ":1: ", conflist + ":1: ").replace("/spec/config/", "/")
                .replace("test/chain-net", "chain-net"), bare.out());
    }

    @Test
    void warningsAloneExitZero() throws IOException {
        String config = goodConfig("other-name");
        Path file = write("warn.yaml", nad("warn-net", config));
        Run run = lint(file.toString());
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith(file + ":1: WARNING /spec/config/name: name \"other-name\" differs from the NAD name \"warn-net\""), run.out());
    }

    @Test
    void brokenInjectionAnnotationsAreWarningsAtTheirAnnotationPaths() throws IOException {
        String manifest = nad("sel-net", goodConfig("sel-net")).replace("  namespace: test\n", """
                  namespace: test
                  annotations:
                    netattach.io/inject-selector: "app in (a"
                    netattach.io/interface: "eth/1"
                    netattach.io/inject-order: "first"
                """);
        Path file = write("annotations.yaml", manifest);
        Run run = lint(file.toString());
        assertEquals(0, run.exit(), run.out() + run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        assertTrue(lines.get(0).startsWith(file + ":1: WARNING /metadata/annotations/netattach.io~1inject-selector: annotation netattach.io/inject-selector: "), lines.get(0));
        assertTrue(lines.get(0).endsWith("; the NAD is not injected"), lines.get(0));
        assertTrue(lines.get(1).startsWith(file + ":1: WARNING /metadata/annotations/netattach.io~1interface: annotation netattach.io/interface: "), lines.get(1));
        assertEquals(file + ":1: WARNING /metadata/annotations/netattach.io~1inject-order: annotation netattach.io/inject-order: \"first\" is not an integer; the NAD is ordered last", lines.get(2));
    }

    @Test
    void multiDocumentFileNumbersDocumentsAndSkipsOthers() throws IOException {
        String content = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                ---
                """ + nad("bad-net", MODE_TYPO_CONFIG) + """
                ---
                # an empty document
                ---
                """ + nad("bad-net-2", MODE_TYPO_CONFIG.replace("bad-net", "bad-net-2"));
        Path file = write("multi.yaml", content);
        Run run = lint(file.toString(), "--verbose");
        assertEquals(1, run.exit());
        assertEquals(file + ":2: " + MODE_TYPO_LINE + "\n" + file + ":4: " + MODE_TYPO_LINE + "\n", run.out());
        assertEquals(file + ":1: skipped Pod p (not a NetworkAttachmentDefinition)\n"
                + "lint: 1 file, 2 NetworkAttachmentDefinitions, 1 other document skipped: 2 errors, 0 warnings\n", run.err());
    }

    @Test
    void listKindYieldsOneDocumentPerItemWithItemPointer() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        String list = """
                {"apiVersion": "v1", "kind": "List", "items": [
                  {"apiVersion": "k8s.cni.cncf.io/v1", "kind": "NetworkAttachmentDefinition", "metadata": {"name": "good-net"}, "spec": {"config": %s}},
                  {"apiVersion": "k8s.cni.cncf.io/v1", "kind": "NetworkAttachmentDefinition", "metadata": {"name": "bad-net"}, "spec": {"config": %s}}
                ]}""".formatted(mapper.writeValueAsString(goodConfig("good-net")), mapper.writeValueAsString(MODE_TYPO_CONFIG));
        Path file = write("list.json", list);
        Run run = lint(file.toString());
        assertEquals(1, run.exit());
        assertEquals(file + ":1: ERROR /items/1/spec/config/plugins/0/mode: mode \"bridged\" is not one of bridge, private, vepa, passthru\n",
                run.out());
    }

    @Test
    void directoriesAreReadRecursivelyInNameOrderSkippingHiddenAndOtherFiles() throws IOException {
        write("b/nested/bad.yml", nad("bad-net", MODE_TYPO_CONFIG));
        write("a/good.yaml", nad("good-net", goodConfig("good-net")));
        write("c/net.conflist", MODE_TYPO_CONFIG);
        write(".hidden/bad.yaml", nad("bad-net", MODE_TYPO_CONFIG));
        write("a/notes.txt", "not: [yaml");
        Run run = lint(dir.toString());
        assertEquals(1, run.exit());
        assertEquals(dir.resolve("b/nested/bad.yml") + ":1: " + MODE_TYPO_LINE + "\n"
                + dir.resolve("c/net.conflist") + ":1: ERROR /plugins/0/mode: mode \"bridged\" is not one of bridge, private, vepa, passthru\n",
                run.out());
        assertEquals("lint: 3 files, 2 NetworkAttachmentDefinitions, 1 CNI config: 2 errors, 0 warnings\n", run.err());
    }

    @Test
    void bareCniJsonIsValidatedAsAConfigWithPathsIntoTheFile() throws IOException {
        Path file = write("net.json", "{\"cniVersion\": \"1.0.0\", \"plugins\": [{\"type\": \"../evil\"}]}");
        Run run = lint(file.toString());
        assertEquals(1, run.exit());
        assertEquals(file + ":1: ERROR /name: name is missing: a network config needs a name (libcni rejects it with \"no name\")\n"
                + file + ":1: ERROR /plugins/0/type: type \"../evil\" is not a plain file name: \"/\", \"\\\" and \"..\" allow path "
                + "traversal out of the CNI bin directory (CVE-2021-20206)\n", run.out());
    }

    @Test
    void jsonFormatPrintsAnArrayOfFindings() throws IOException {
        Path file = write("bad.yaml", nad("bad-net", MODE_TYPO_CONFIG));
        Run run = lint(file.toString(), "--format", "json");
        assertEquals(1, run.exit());
        JsonNode array = new ObjectMapper().readTree(run.out());
        assertEquals(1, array.size());
        JsonNode f = array.get(0);
        assertEquals(file.toString(), f.get("file").asText());
        assertEquals(1, f.get("document").asInt());
        assertEquals("NetworkAttachmentDefinition", f.get("kind").asText());
        assertEquals("bad-net", f.get("name").asText());
        assertEquals("test", f.get("namespace").asText());
        assertEquals("ERROR", f.get("severity").asText());
        assertEquals("/spec/config/plugins/0/mode", f.get("path").asText());
        assertEquals("mode \"bridged\" is not one of bridge, private, vepa, passthru", f.get("message").asText());
    }

    @Test
    void jsonFormatOfACleanRunIsAnEmptyArray() throws IOException {
        Path file = write("good.yaml", nad("good-net", goodConfig("good-net")));
        Run run = lint("--format=json", file.toString());
        assertEquals(0, run.exit());
        assertEquals(0, new ObjectMapper().readTree(run.out()).size());
    }

    @Test
    void missingPathExitsTwoButStillLintsTheRest() throws IOException {
        Path file = write("bad.yaml", nad("bad-net", MODE_TYPO_CONFIG));
        Path missing = dir.resolve("missing.yaml");
        Run run = lint(missing.toString(), file.toString());
        assertEquals(2, run.exit());
        assertEquals(file + ":1: " + MODE_TYPO_LINE + "\n", run.out());
        assertTrue(run.err().startsWith("netattach lint: " + missing + ": no such file or directory\n"), run.err());
        assertTrue(run.err().endsWith("1 unreadable: 1 error, 0 warnings\n"), run.err());
    }

    @Test
    void invalidYamlIsUnreadableInputWithItsLine() throws IOException {
        Path file = write("broken.yaml", "apiVersion: v1\nkind: [NetworkAttachmentDefinition\n");
        Run run = lint(file.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("netattach lint: " + file + ": invalid YAML at line "), run.err());
    }

    @Test
    void invalidJsonAndNonUtf8AreUnreadable() throws IOException {
        Path json = write("broken.json", "{\"kind\": ");
        Path binary = dir.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0xc3});
        Run run = lint(json.toString(), binary.toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains(json + ": invalid JSON at line 1"), run.err());
        assertTrue(run.err().contains(binary + ": not UTF-8 text"), run.err());
    }

    @Test
    void aCniConfigWithBrokenJsonIsAnErrorFinding() throws IOException {
        Path file = write("net.conflist", "{\"cniVersion\": \"1.0.0\",");
        Run run = lint(file.toString());
        assertEquals(1, run.exit());
        assertTrue(run.out().startsWith(file + ":1: ERROR /: config is not valid JSON: "), run.out());
    }

    @Test
    void standardInputIsReadAsYaml() {
        Run run = lintWithStdin(nad("bad-net", MODE_TYPO_CONFIG), "-");
        assertEquals(1, run.exit());
        assertEquals("-:1: " + MODE_TYPO_LINE + "\n", run.out());
    }

    @Test
    void upstreamPluginsFlagAddsTheVlanWarning() {
        Run run = lint("--upstream-plugins", "deploy/examples/management.yaml");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("deploy/examples/management.yaml:1: WARNING /spec/config/plugins/0/vlan: vlan 100 is ignored"), run.out());
    }

    @Test
    void usageErrorsExitTwo() {
        assertEquals(2, lint().exit());
        Run badFormat = lint("--format", "xml", "x.yaml");
        assertEquals(2, badFormat.exit());
        assertTrue(badFormat.err().startsWith("netattach lint: Invalid value for option '--format': expected one of [text, json]"),
                badFormat.err());
        assertEquals(2, lint("--format").exit());
        Run unknown = lint("--strict", "x.yaml");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().startsWith("netattach lint: Unknown option: '--strict'"), unknown.err());
        Run help = lint("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("usage: netattach lint"), help.out());
    }

    @Test
    void theCliDispatchesToLint() throws IOException {
        Path file = write("bad.yaml", nad("bad-net", MODE_TYPO_CONFIG));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Cli.run("lint", new String[] {file.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(1, exit);
        assertEquals(file + ":1: " + MODE_TYPO_LINE + "\n", out.toString(StandardCharsets.UTF_8));
    }
}

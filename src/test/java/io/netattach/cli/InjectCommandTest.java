package io.netattach.cli;

import io.netattach.manifest.ManifestReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InjectCommandTest {

    private static final String SEED = "[{\"name\":\"management-net\",\"interface\":\"eth1\"},{\"name\":\"sip-net\",\"interface\":\"eth2\"}]";
    private static final YAMLMapper YAML = new YAMLMapper();

    private Path dir;

    record Run(int exit, String out, String err) {
        List<JsonNode> documents() throws IOException {
            try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(out)) {
                return it.readAll();
            }
        }
    }

    @BeforeEach
    void createDir() throws IOException {
        dir = Files.createTempDirectory("netattach-inject-");
    }

    @AfterEach
    void removeDir() throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static Run injectWithStdin(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new InjectCommand(new ManifestReader(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))))
                .run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run inject(String... args) {
        return injectWithStdin("", args);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private static String pod(String annotations) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  generateName: chain-test-
                  namespace: chain-example
                  labels:
                    app: chain-test
                %s
                spec:
                  containers:
                    - name: c
                      image: registry.access.redhat.com/ubi9/ubi-minimal:latest
                """.formatted(annotations == null ? "" : "  annotations:\n" + annotations);
    }

    private static String networks(JsonNode object, String metadataPointer) {
        return object.at(metadataPointer + "/annotations").path("k8s.v1.cni.cncf.io/networks").asText(null);
    }

    @Test
    void seedPodWithoutAnnotationGetsBothNetworks() throws IOException {
        Run run = inject("--nads", "deploy/examples", write("pod.yaml", pod(null)).toString());
        assertEquals(0, run.exit(), run.err());
        JsonNode printed = run.documents().getFirst();
        assertEquals(SEED, networks(printed, "/metadata"));
        assertEquals("management-net@eth1,sip-net@eth2", printed.at("/metadata/annotations").path("netattach.io/injected-networks").asText());
        assertEquals("registry.access.redhat.com/ubi9/ubi-minimal:latest", printed.at("/spec/containers/0/image").asText());
        assertTrue(run.err().endsWith("inject: 4 NetworkAttachmentDefinitions, 1 pod (1 injected): 0 errors, 0 warnings\n"), run.err());
    }

    @Test
    void seedPodOfTheExamplesIsPrintedUnchanged() throws IOException {
        Run run = inject("--nads", "deploy/examples/management.yaml", "--nads", "deploy/examples/sip.yaml", "deploy/examples/pod.yaml");
        assertEquals(0, run.exit(), run.err());
        assertEquals(YAML.readTree(Files.readString(Path.of("deploy/examples/pod.yaml"))), run.documents().getFirst());
        assertTrue(run.err().contains("2 NetworkAttachmentDefinitions, 1 pod (0 injected)"), run.err());
    }

    @Test
    void deploymentTemplateIsInjectedAndFindingsPointIntoIt() throws IOException {
        Run run = inject("--nads", "deploy/examples", "deploy/examples/injection/03-deployment.yaml");
        assertEquals(0, run.exit(), run.err());
        JsonNode deployment = run.documents().getFirst();
        assertEquals("Deployment", deployment.path("kind").asText());
        assertEquals(SEED, networks(deployment, "/spec/template/metadata"));
        assertTrue(run.err().contains("03-deployment.yaml:1: WARNING /spec/template/metadata/annotations/k8s.v1.cni.cncf.io~1networks/0: static IPAM of netattach-demo/management-net"),
                run.err());
    }

    @Test
    void commaFormComesOutAsJson() throws IOException {
        Run run = inject("--nads", "deploy/examples", write("pod.yaml", pod("    k8s.v1.cni.cncf.io/networks: extra@eth7\n")).toString(),
                "--missing-nad", "warn");
        assertEquals(0, run.exit(), run.err());
        assertEquals("[{\"name\":\"extra\",\"interface\":\"eth7\"}," + SEED.substring(1), networks(run.documents().getFirst(), "/metadata"));
        assertTrue(run.err().contains("WARNING /metadata/annotations/k8s.v1.cni.cncf.io~1networks/0/name: NetworkAttachmentDefinition chain-example/extra does not exist"),
                run.err());
    }

    @Test
    void missingNadIsAnError() throws IOException {
        Run run = inject("--nads", "deploy/examples", write("pod.yaml", pod("    k8s.v1.cni.cncf.io/networks: extra@eth7\n")).toString());
        assertEquals(1, run.exit(), run.err());
        assertTrue(run.err().contains("pod.yaml:1: ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks/0/name"), run.err());
    }

    @Test
    void malformedAnnotationIsAnErrorAndNotTouched() throws IOException {
        Run run = inject("--nads", "deploy/examples", write("pod.yaml", pod("    k8s.v1.cni.cncf.io/networks: '[{\"name\":'\n")).toString());
        assertEquals(1, run.exit(), run.err());
        assertEquals("[{\"name\":", networks(run.documents().getFirst(), "/metadata"));
        assertTrue(run.err().contains("WARNING /metadata/annotations/k8s.v1.cni.cncf.io~1networks: not injecting management-net, sip-net"), run.err());
        assertTrue(run.err().contains("ERROR /metadata/annotations/k8s.v1.cni.cncf.io~1networks: k8s.v1.cni.cncf.io/networks is not valid JSON"), run.err());
    }

    @Test
    void podFromStdinWithNamespaceOptionAndRepeatedNads() throws IOException {
        String pod = pod(null).replace("  namespace: chain-example\n", "");
        Run run = injectWithStdin(pod, "--nads", "deploy/examples/management.yaml", "--nads=deploy/examples/sip.yaml", "-n", "chain-example", "-");
        assertEquals(0, run.exit(), run.err());
        assertEquals(SEED, networks(run.documents().getFirst(), "/metadata"));
        Run elsewhere = injectWithStdin(pod, "--nads", "deploy/examples", "-");
        assertEquals(0, elsewhere.exit(), elsewhere.err());
        assertTrue(elsewhere.err().contains("1 pod (0 injected)"), elsewhere.err());
    }

    @Test
    void otherDocumentsAreSkipped() throws IOException {
        Path file = write("all.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: chain-example\n---\n" + pod(null)
                + "---\n" + pod(null).replace("app: chain-test", "app: other"));
        Run run = inject("--nads", "deploy/examples", file.toString());
        assertEquals(0, run.exit(), run.err());
        List<JsonNode> docs = run.documents();
        assertEquals(2, docs.size());
        assertEquals(SEED, networks(docs.get(0), "/metadata"));
        assertEquals(null, networks(docs.get(1), "/metadata"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            no arguments                    | ''                                                              | Missing required options and parameters: '--nads=PATH', 'POD_FILE'
            no --nads                       | deploy/examples/pod.yaml                                        | Missing required option: '--nads=PATH'
            only one path                   | --nads deploy/examples/pod.yaml                                 | Missing required parameter: 'POD_FILE'
            unknown option                  | --nads deploy/examples --frobnicate deploy/examples/pod.yaml    | Unknown option: '--frobnicate'
            bad missing-nad                 | --missing-nad maybe --nads deploy/examples deploy/examples/pod.yaml | --missing-nad must be deny or warn, got "maybe"
            two pod files                   | deploy/examples/pod.yaml --nads deploy/examples deploy/examples/pod.yaml --namespace x deploy/examples/pod.yaml | Unmatched arguments from index 4: 'deploy/examples/pod.yaml', 'deploy/examples/pod.yaml'
            two paths after one --nads      | --nads deploy/examples/management.yaml deploy/examples/sip.yaml deploy/examples/pod.yaml | Unmatched argument at index 4: 'deploy/examples/pod.yaml'
            --nads A B: B is not the pod    | --nads deploy/examples deploy/examples/sip.yaml                 | holds no Pod or workload with a pod template
            missing NAD path                | --nads /nonexistent/nads deploy/examples/pod.yaml               | /nonexistent/nads: no such file or directory
            missing pod file                | --nads deploy/examples /nonexistent/pod.yaml                    | /nonexistent/pod.yaml: no such file or directory
            no pod in file                  | --nads deploy/examples deploy/examples/sip.yaml                 | holds no Pod or workload with a pod template
            """)
    void usageAndUnreadableInputExitWith2(String why, String args, String message) {
        Run run = inject(args.isBlank() ? new String[0] : args.split(" "));
        assertEquals(2, run.exit(), why + ": " + run.err());
        assertTrue(run.err().contains(message), run.err());
        assertEquals("", run.out());
    }

    @Test
    void stringsThatLookLikeOtherTypesStayStrings() throws IOException {
        String tricky = "[\"2147483647\", \"1.5\", \"0x1F\", \"1e3\", \"true\", \"yes\", \"on\", \"null\", \"~\", \"\", \"0755\", \"- x\", \"a: b\", \"#c\"]";
        Path file = write("pod.yaml", pod(null) + "      command: " + tricky + "\n");
        Run run = inject("--nads", "deploy/examples", file.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals(YAML.readTree(tricky), run.documents().getFirst().at("/spec/containers/0/command"), run.out());
    }

    @Test
    void invalidYamlPodFileExitsWith2() throws IOException {
        Run run = inject("--nads", "deploy/examples", write("bad.yaml", "kind: [Pod\n").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("bad.yaml: invalid YAML"), run.err());
    }

    @Test
    void helpIsExit0() {
        Run run = inject("--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("usage: netattach inject [-h] [--missing-nad=deny|warn] [-n=NS] --nads=PATH [--nads=PATH]... POD_FILE"),
                run.out());
    }
}

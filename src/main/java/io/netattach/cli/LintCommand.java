package io.netattach.cli;
import io.netattach.cni.Text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.cni.Finding;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NadReview;
import io.netattach.validation.NadValidator;
import io.netattach.cni.Severity;
import io.netattach.validation.ValidationOptions;
import io.netattach.manifest.ManifestReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lint [--format text|json] [--upstream-plugins] [--verbose] PATH...}: validates
 * NetworkAttachmentDefinition manifests (YAML or JSON, multi-document, {@code List} kinds, directories
 * recursively) and bare CNI config files with the same rules as the webhook.
 *
 * <p>Text output, one line per finding on stdout: {@code FILE:DOC: SEVERITY path: message} (DOC is the
 * 1-based document index in the file; the path is a JSON Pointer into that document). A summary line goes
 * to stderr. Exit 0: no errors (warnings allowed); 1: errors; 2: usage error or unreadable input.
 */
@Command(name = "lint",
        description = {"Validate NetworkAttachmentDefinition manifests and bare CNI configs with the webhook's rules.",
                "Text output: FILE:DOC: SEVERITY path: message on stdout (DOC: 1-based document in the file, "
                        + "path: JSON Pointer into it); a summary on stderr."},
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"  0:no errors (warnings allowed)", "  1:errors", "  2:usage error or unreadable input"})
public final class LintCommand extends CliCommand {

    /** Output formats. */
    enum Format { text, json }

    @Option(names = "--format", paramLabel = "text|json", defaultValue = "text",
            description = "text: FILE:DOC: SEVERITY path: message (default); json: an array of findings")
    Format format;

    @Option(names = "--upstream-plugins",
            description = "the nodes run the upstream CNI plugins: warn about fields they ignore (macvlan vlan)")
    boolean upstream;

    @Option(names = "--cluster-networks", paramLabel = "CIDR[,CIDR...]",
            description = "the cluster's pod and service networks (repeatable, or comma-separated): secondary addresses "
                    + "inside one are errors, routes covering one warnings (errors with --route-policy deny)")
    List<String> clusterNetworks;

    @Option(names = "--route-policy", paramLabel = "warn|deny",
            description = "with --cluster-networks: what a route covering a cluster network is (default warn)")
    String routePolicy;

    @Option(names = {"-v", "--verbose"}, description = "also list skipped documents (not a NetworkAttachmentDefinition) on stderr")
    boolean verbose;

    @Parameters(arity = "1..*", paramLabel = "PATH",
            description = "a NAD manifest (YAML or JSON, multi-document, *List kinds), a bare CNI config "
                    + "(.conf, .conflist, or .json without apiVersion/kind), a directory (recursive), or - for stdin")
    List<String> paths;

    private final ManifestReader reader;

    public LintCommand() {
        this(new ManifestReader());
    }

    public LintCommand(ManifestReader reader) {
        this.reader = reader;
    }

    /** One reported finding with where it was found. */
    private record Located(String file, int document, String kind, String name, String namespace, Finding finding) {
    }

    @Override
    public Integer call() {
        ClusterNetworks cluster = ClusterNetworks.NONE;
        try {
            if (clusterNetworks != null && !clusterNetworks.isEmpty()) {
                cluster = new ClusterNetworks(List.of(), List.of(),
                        ClusterNetworks.parseList(String.join(",", clusterNetworks), "cluster network"), cluster.routePolicy());
            }
            if (routePolicy != null) {
                cluster = cluster.withPolicy(ClusterNetworks.policy(routePolicy));
            }
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        NadValidator validator = new NadValidator(new ValidationOptions(upstream, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));
        List<Located> findings = new ArrayList<>();
        int files = 0;
        int nads = 0;
        int cniConfigs = 0;
        int skipped = 0;
        int unreadable = 0;
        boolean text = format == Format.text;
        for (String arg : paths) {
            List<Path> expanded;
            try {
                expanded = reader.expand(Path.of(arg));
            } catch (ManifestReader.UnreadableInputException | java.nio.file.InvalidPathException e) {
                err.println("netattach lint: " + (e instanceof ManifestReader.UnreadableInputException ? e.getMessage() : arg + ": invalid path"));
                unreadable++;
                continue;
            }
            for (Path file : expanded) {
                List<ManifestReader.Document> documents;
                try {
                    documents = reader.read(file);
                } catch (ManifestReader.UnreadableInputException e) {
                    err.println("netattach lint: " + e.getMessage());
                    unreadable++;
                    continue;
                }
                files++;
                for (ManifestReader.Document doc : documents) {
                    List<Located> found = new ArrayList<>();
                    switch (doc.content()) {
                        case ManifestReader.Content.CniConfig cni -> {
                            cniConfigs++;
                            for (Finding f : NadReview.cniConfigFindings(validator, cni.text(), cluster)) {
                                found.add(new Located(file.toString(), doc.index(), "CNI config", null, null, f));
                            }
                        }
                        case ManifestReader.Content.KubernetesObject object -> {
                            JsonNode node = object.node();
                            if (!ManifestReader.isNad(node)) {
                                skipped++;
                                String reason = ManifestReader.notANadReason(node);
                                if (verbose || reason != null) {
                                    err.println(file + ":" + doc.index() + ": skipped " + describe(node, doc.itemPointer())
                                            + " (" + (reason == null ? "not a " + ManifestReader.NAD_KIND : reason) + ")");
                                }
                                continue;
                            }
                            nads++;
                            String name = textAt(node, "name");
                            String namespace = textAt(node, "namespace");
                            // what the NAD webhook reports (its plan in-chain, and against --cluster-networks when given)
                            List<Finding> nadFindings = NadReview.findings(validator, node, "default", cluster, null);
                            for (Finding f : nadFindings) {
                                Finding shown = new Finding(f.severity(), doc.itemPointer() + f.path(), f.message());
                                found.add(new Located(file.toString(), doc.index(), ManifestReader.NAD_KIND, name, namespace, shown));
                            }
                        }
                    }
                    findings.addAll(found);
                    if (text) {
                        for (Located l : found) {
                            out.println(l.file() + ":" + l.document() + ": " + l.finding());
                        }
                    }
                }
            }
        }
        if (!text) {
            out.println(json(findings));
        }
        long errors = findings.stream().filter(l -> l.finding().isError()).count();
        long warnings = findings.size() - errors;
        err.println("lint: " + plural(files, "file") + ", " + plural(nads, "NetworkAttachmentDefinition")
                + (cniConfigs > 0 ? ", " + plural(cniConfigs, "CNI config") : "")
                + (skipped > 0 ? ", " + skipped + " other document" + (skipped == 1 ? "" : "s") + " skipped" : "")
                + (unreadable > 0 ? ", " + unreadable + " unreadable" : "")
                + ": " + plural((int) errors, "error") + ", " + plural((int) warnings, "warning"));
        if (unreadable > 0) {
            return 2;
        }
        return errors > 0 ? 1 : 0;
    }

    private static String textAt(JsonNode node, String field) {
        JsonNode v = node.path("metadata").path(field);
        return v.isTextual() ? v.textValue() : null;
    }

    private static String describe(JsonNode node, String itemPointer) {
        String where = itemPointer.isEmpty() ? "" : " at " + itemPointer;
        if (node == null || !node.isObject()) {
            return "a " + (node == null ? "null" : node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + " document" + where;
        }
        String kind = node.path("kind").isTextual() ? node.path("kind").textValue() : "document without kind";
        String name = textAt(node, "name");
        return kind + (name == null ? "" : " " + name) + where;
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    private static String json(List<Located> findings) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ArrayNode array = mapper.createArrayNode();
        for (Located l : findings) {
            ObjectNode o = array.addObject();
            o.put("file", l.file());
            o.put("document", l.document());
            o.put("kind", l.kind());
            o.put("name", l.name());
            o.put("namespace", l.namespace());
            o.put("severity", l.finding().severity() == Severity.ERROR ? "ERROR" : "WARNING");
            o.put("path", l.finding().path());
            o.put("message", l.finding().message());
        }
        try {
            return mapper.writeValueAsString(array);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

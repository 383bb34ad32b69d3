package io.netattach.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netattach.validation.Finding;
import io.netattach.injection.NadInfo;
import io.netattach.plan.ClusterNetworks;
import io.netattach.plan.NadPlans;
import io.netattach.validation.NadValidator;
import io.netattach.validation.Severity;
import io.netattach.validation.ValidationOptions;

import java.io.PrintStream;
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
public final class LintCommand implements Cli.Command {

    static final String USAGE = """
            usage: netattach lint [--format text|json] [--upstream-plugins] [--cluster-networks CIDR,...]
                                  [--route-policy warn|deny] [--verbose] PATH...
              PATH                a NAD manifest (YAML or JSON, multi-document, List kinds), a bare CNI config
                                  (.conf, .conflist, or .json without apiVersion/kind), a directory (recursive), or - for stdin
              --format text|json  text: FILE:DOC: SEVERITY path: message (default); json: an array of findings
              --upstream-plugins  the nodes run the upstream CNI plugins: warn about fields they ignore (macvlan vlan)
              --cluster-networks CIDR,...  the cluster's pod and service networks: secondary addresses inside one are
                                  errors, routes covering one warnings (errors with --route-policy deny)
              --verbose           also list skipped documents (not a NetworkAttachmentDefinition) on stderr
            exit status: 0 no errors (warnings allowed), 1 errors, 2 usage error or unreadable input
            """;

    private static final String NAD_KIND = "NetworkAttachmentDefinition";

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
    public int run(String[] args, PrintStream out, PrintStream err) {
        String format = "text";
        boolean upstream = false;
        boolean verbose = false;
        List<String> paths = new ArrayList<>();
        boolean onlyPaths = false;
        ClusterNetworks cluster = ClusterNetworks.NONE;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (onlyPaths || a.equals("-") || !a.startsWith("-")) {
                paths.add(a);
            } else if (a.equals("--")) {
                onlyPaths = true;
            } else if (a.equals("--format") || a.startsWith("--format=")) {
                String value = a.startsWith("--format=") ? a.substring("--format=".length()) : (i + 1 < args.length ? args[++i] : null);
                if (value == null || !(value.equals("text") || value.equals("json"))) {
                    err.println("netattach lint: --format must be text or json" + (value == null ? "" : ", got \"" + value + "\""));
                    err.print(USAGE);
                    return 2;
                }
                format = value;
            } else if (a.equals("--cluster-networks") || a.startsWith("--cluster-networks=")
                    || a.equals("--route-policy") || a.startsWith("--route-policy=")) {
                boolean networks = a.startsWith("--cluster-networks");
                String option = networks ? "--cluster-networks" : "--route-policy";
                String value = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
                try {
                    if (value == null) {
                        throw new IllegalArgumentException(option + " needs a value");
                    }
                    cluster = networks
                            ? new ClusterNetworks(List.of(), List.of(), ClusterNetworks.parseList(value, "cluster network"), cluster.routePolicy())
                            : cluster.withPolicy(ClusterNetworks.policy(value));
                } catch (IllegalArgumentException e) {
                    err.println("netattach lint: " + e.getMessage());
                    err.print(USAGE);
                    return 2;
                }
            } else if (a.equals("--upstream-plugins")) {
                upstream = true;
            } else if (a.equals("--verbose") || a.equals("-v")) {
                verbose = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                return 0;
            } else {
                err.println("netattach lint: unknown option " + a);
                err.print(USAGE);
                return 2;
            }
        }
        if (paths.isEmpty()) {
            err.println("netattach lint: no PATH given");
            err.print(USAGE);
            return 2;
        }

        NadValidator validator = new NadValidator(new ValidationOptions(upstream, ValidationOptions.DEFAULT_MAX_CONFIG_BYTES));
        List<Located> findings = new ArrayList<>();
        int files = 0;
        int nads = 0;
        int cniConfigs = 0;
        int skipped = 0;
        int unreadable = 0;
        boolean text = format.equals("text");
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
                            for (Finding f : validator.validateCniConfig(cni.text())) {
                                found.add(new Located(file.toString(), doc.index(), "CNI config", null, null, f));
                            }
                        }
                        case ManifestReader.Content.KubernetesObject object -> {
                            JsonNode node = object.node();
                            if (!isNad(node)) {
                                skipped++;
                                if (verbose) {
                                    err.println(file + ":" + doc.index() + ": skipped " + describe(node, doc.itemPointer())
                                            + " (not a " + NAD_KIND + ")");
                                }
                                continue;
                            }
                            nads++;
                            String name = textAt(node, "name");
                            String namespace = textAt(node, "namespace");
                            List<Finding> nadFindings = new ArrayList<>(validator.validate(node));
                            nadFindings.addAll(NadInfo.annotationFindings(node));
                            if (!cluster.isEmpty()) {
                                nadFindings.addAll(NadPlans.check(node, cluster)); // the network plan against the cluster
                            }
                            for (Finding f : nadFindings) {
                                Finding shown = new Finding(f.severity(), doc.itemPointer() + f.path(), f.message());
                                found.add(new Located(file.toString(), doc.index(), NAD_KIND, name, namespace, shown));
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

    static boolean isNad(JsonNode node) {
        return node != null && node.isObject() && NAD_KIND.equals(node.path("kind").asText(null));
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

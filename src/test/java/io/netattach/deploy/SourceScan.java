package io.netattach.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** What the main code does, read from its source: the admission endpoints it serves and the API calls it makes. */
final class SourceScan {

    static final Path MAIN = Manifests.ROOT.resolve("src/main/java/io/netattach");

    private static final Pattern ENDPOINT = Pattern.compile("\"(/(?:validate|mutate)/[a-z0-9-]+)\"");
    private static final Pattern CONTEXT_GROUP = Pattern.compile("withGroup\\(\\s*\"([^\"]*)\"\\s*\\)");
    private static final Pattern CONTEXT_PLURAL = Pattern.compile("withPlural\\(\\s*\"([^\"]+)\"\\s*\\)");
    /** Typed fabric8 DSL entry points and the group/resource they address. */
    private static final Map<Pattern, String> TYPED_CALLS = new LinkedHashMap<>();

    static {
        TYPED_CALLS.put(Pattern.compile("\\.pods\\(\\)"), "/pods");
        TYPED_CALLS.put(Pattern.compile("\\.namespaces\\(\\)"), "/namespaces");
        TYPED_CALLS.put(Pattern.compile("\\.configMaps\\(\\)"), "/configmaps");
        TYPED_CALLS.put(Pattern.compile("\\.nodes\\(\\)"), "/nodes");
        TYPED_CALLS.put(Pattern.compile("\\.secrets\\(\\)"), "/secrets");
        TYPED_CALLS.put(Pattern.compile("\\.replicaSets\\(\\)"), "apps/replicasets");
        TYPED_CALLS.put(Pattern.compile("\\.deployments\\(\\)"), "apps/deployments");
        TYPED_CALLS.put(Pattern.compile("\\.statefulSets\\(\\)"), "apps/statefulsets");
        TYPED_CALLS.put(Pattern.compile("\\.daemonSets\\(\\)"), "apps/daemonsets");
        TYPED_CALLS.put(Pattern.compile("\\.jobs\\(\\)"), "batch/jobs");
        TYPED_CALLS.put(Pattern.compile("\\.cronjobs\\(\\)"), "batch/cronjobs");
    }

    private SourceScan() {
    }

    /** The admission paths that appear as string literals in the admission package. */
    static Set<String> admissionEndpoints() {
        Set<String> paths = new TreeSet<>();
        for (Path file : javaFiles(MAIN.resolve("admission"))) {
            Matcher m = ENDPOINT.matcher(read(file));
            while (m.find()) {
                paths.add(m.group(1));
            }
        }
        return paths;
    }

    /**
     * "group/resource" -> verbs the code needs, from every file that uses the fabric8 client:
     * list and watch where it runs informers or watches, get where it looks one object up, list
     * where it lists. NetworkAttachmentDefinitions are always read (get/list/watch).
     */
    static Map<String, Set<String>> apiCalls() {
        Map<String, Set<String>> calls = new TreeMap<>();
        calls.put("k8s.cni.cncf.io/network-attachment-definitions", new TreeSet<>(List.of("get", "list", "watch")));
        for (Path file : javaFiles(MAIN)) {
            String src = read(file);
            if (!src.contains("io.fabric8.kubernetes.client")) {
                continue;
            }
            Set<String> verbs = new TreeSet<>();
            if (src.contains("nform") || src.contains(".watch(")) {
                verbs.add("list");
                verbs.add("watch");
            }
            if (src.contains(".withName(") || src.contains(".get()")) {
                verbs.add("get");
            }
            if (src.contains(".list(")) {
                verbs.add("list");
            }
            Matcher groups = CONTEXT_GROUP.matcher(src);
            Matcher plurals = CONTEXT_PLURAL.matcher(src);
            while (groups.find() && plurals.find()) {
                calls.computeIfAbsent(groups.group(1) + "/" + plurals.group(1), k -> new TreeSet<>()).addAll(verbs);
            }
            for (Map.Entry<Pattern, String> e : TYPED_CALLS.entrySet()) {
                if (e.getKey().matcher(src).find()) {
                    calls.computeIfAbsent(e.getValue(), k -> new TreeSet<>()).addAll(verbs);
                }
            }
        }
        return calls;
    }

    private static final Pattern STRING_LITERAL = Pattern.compile("\"([A-Za-z0-9_.\\-]+)\"");

    /**
     * The environment variables the main code can read: literal names ({@code "NETATTACH_TLS_CERT"})
     * and the MicroProfile Config environment form of every property name literal
     * ({@code "netattach.catalog.mode"} -> {@code NETATTACH_CATALOG_MODE}).
     */
    static Set<String> environmentNames() {
        Set<String> names = new TreeSet<>();
        for (Path file : javaFiles(MAIN)) {
            Matcher m = STRING_LITERAL.matcher(read(file));
            while (m.find()) {
                String literal = m.group(1);
                if (literal.matches("[A-Z][A-Z0-9_]*")) {
                    names.add(literal);
                } else if (literal.contains(".")) {
                    names.add(literal.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
                }
            }
        }
        return names;
    }

    private static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

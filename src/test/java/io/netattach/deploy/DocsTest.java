package io.netattach.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md and docs/: every relative link and anchor resolves, the README names every command,
 * endpoint, label and annotation with a link to its page, the pages cover what the code and the
 * manifests define, and no page carries dated lab notes.
 */
class DocsTest {

    private static final Path ROOT = Manifests.ROOT;
    private static final Path README = ROOT.resolve("README.md");
    private static final Path DOCS = ROOT.resolve("docs");

    /** The CLI commands (DESIGN.md "Interfaces others rely on"). */
    private static final List<String> COMMANDS = List.of("serve", "lint", "inject", "install-cni", "demo", "plan", "completion");
    private static final List<String> HEALTH_AND_METRICS = List.of("/q/health/live", "/q/health/ready", "/q/metrics");
    private static final List<String> PLUGINS = List.of("macvlan", "route-override", "static");

    private static final Pattern LINK_TARGET = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern LABEL_KEY = Pattern.compile("netattach\\.io/[a-z][a-z-]*[a-z]");
    private static final Pattern OPTION_LITERAL = Pattern.compile("\"(--[a-z][a-z-]*)\"");
    private static final Pattern DATED_NOTE = Pattern.compile(
            "\\b(?:19|20)\\d\\d-\\d\\d-\\d\\d\\b|\\btoday\\b|\\byesterday\\b|\\bthis (?:session|morning|afternoon)\\b|\\blast night\\b",
            Pattern.CASE_INSENSITIVE);

    @Test
    void everyRelativeLinkAndAnchorInTheReadmeAndTheDocsResolves() {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            for (String target : linkTargets(page)) {
                if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                    continue; // https:, mailto: ...
                }
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                String anchor = hash < 0 ? null : target.substring(hash + 1);
                Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
                    broken.add(rel(page) + ": " + target + " (no file " + rel(resolved) + ")");
                } else if (anchor != null && !anchors(resolved).contains(anchor)) {
                    broken.add(rel(page) + ": " + target + " (no heading with anchor #" + anchor + " in " + rel(resolved)
                            + "; there are " + anchors(resolved) + ")");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void theReadmeKeepsTheTwoQuickStartCommandsOfCi() throws IOException {
        String readme = Files.readString(README);
        assertTrue(readme.contains("```sh\nexport JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 && ./mvnw -B package -DskipTests"
                        + " && bin/netattach\n```"),
                "README: the command that runs the webhook standalone");
        assertTrue(readme.contains("```sh\nexport JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 && ./mvnw -B verify\n```"),
                "README: the test command");
        String ci = Files.readString(ROOT.resolve(".ci/run"));
        assertTrue(ci.contains("export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64") && ci.contains("./mvnw -B verify"),
                ".ci/run runs the README's test command with the README's JDK");
    }

    @Test
    void theReadmeShowsEveryCommandWithAnExampleAndLinksToItsReference() throws IOException {
        String readme = Files.readString(README);
        String cli = Files.readString(DOCS.resolve("cli.md"));
        List<String> missing = new ArrayList<>();
        for (String command : COMMANDS) {
            if (!readme.contains("(docs/cli.md#" + command + ")")) {
                missing.add("README: no link to docs/cli.md#" + command);
            }
            if (!command.equals("serve") && !readme.contains("quarkus-run.jar " + command)) {
                missing.add("README: no example of `" + command + "` (quarkus-run.jar " + command + " ...)");
            }
            if (!anchors(DOCS.resolve("cli.md")).contains(command)) {
                missing.add("docs/cli.md: no section '" + command + "'");
            }
        }
        for (String plugin : PLUGINS) {
            if (!readme.contains("`" + plugin + "`") || !Files.readString(DOCS.resolve("plugins.md")).contains("## " + plugin)) {
                missing.add("plugin " + plugin + ": named in the README and a section of docs/plugins.md");
            }
        }
        assertTrue(cli.contains("CNI_COMMAND=VERSION target/cni-bin/"), "docs/cli.md: an example of plugin mode");
        assertEquals(List.of(), missing);
    }

    @Test
    void everyCommandLineOptionOfTheCodeIsDocumented() {
        Set<String> options = new TreeSet<>();
        for (Path file : files(SourceScan.MAIN.resolve("cli"), ".java")) {
            Matcher m = OPTION_LITERAL.matcher(read(file));
            while (m.find()) {
                options.add(m.group(1));
            }
        }
        assertTrue(options.contains("--nads") && options.contains("--format"), "found the options in the CLI code: " + options);
        String docs = allDocs();
        List<String> undocumented = options.stream().filter(o -> !docs.contains("`" + o) && !docs.contains(" " + o + " ")).toList();
        assertEquals(List.of(), undocumented, "options in src/main/java/io/netattach/cli not in docs/");
    }

    @Test
    void theReadmeAndTheWebhookPageNameEveryEndpoint() throws IOException {
        String readme = Files.readString(README);
        String webhook = Files.readString(DOCS.resolve("webhook.md"));
        Set<String> endpoints = new LinkedHashSet<>(SourceScan.admissionEndpoints());
        assertTrue(endpoints.size() >= 3, "found the admission endpoints in the code: " + endpoints);
        endpoints.addAll(HEALTH_AND_METRICS);
        List<String> missing = new ArrayList<>();
        for (String endpoint : endpoints) {
            if (!readme.contains(endpoint)) {
                missing.add("README: " + endpoint);
            }
            if (!webhook.contains(endpoint)) {
                missing.add("docs/webhook.md: " + endpoint);
            }
            if (endpoint.startsWith("/validate") || endpoint.startsWith("/mutate")) {
                if (!readme.contains("https://localhost:8443" + endpoint)) {
                    missing.add("README: a curl example of " + endpoint);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void theReadmeAndTheInjectionPageNameEveryLabelAndAnnotation() throws IOException {
        Set<String> keys = new TreeSet<>();
        for (Path file : files(SourceScan.MAIN, ".java")) {
            keys.addAll(labelKeys(read(file)));
        }
        for (Path file : files(ROOT.resolve("deploy"), ".yaml")) {
            keys.addAll(labelKeys(read(file)));
        }
        assertTrue(keys.contains("netattach.io/inject-selector") && keys.contains("netattach.io/injection"),
                "found the keys in the code and the manifests: " + keys);
        String readme = Files.readString(README);
        String injection = Files.readString(DOCS.resolve("injection.md"));
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            if (!readme.contains("`" + key + "`")) {
                missing.add("README: " + key);
            }
            if (!injection.contains("`" + key + "`")) {
                missing.add("docs/injection.md: " + key);
            }
        }
        for (String key : List.of("netattach.io/injection=enabled", "netattach.io/inject=disabled", "netattach.io/inject-selector=")) {
            if (!readme.contains(key)) {
                missing.add("README: an example with " + key);
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyConfigurationPropertyAndMetricIsDocumented() {
        Set<String> properties = new TreeSet<>();
        for (String line : read(ROOT.resolve("src/main/resources/application.properties")).split("\n")) {
            if (line.startsWith("netattach.")) {
                properties.add(line.substring(0, line.indexOf('=')).trim());
            }
        }
        Set<String> metrics = new TreeSet<>();
        Pattern configName = Pattern.compile("@ConfigProperty\\(\\s*name\\s*=\\s*\"(netattach\\.[a-z.-]+)\"");
        Pattern meterName = Pattern.compile("(?:builder\\(\\s*|String [A-Z_]+ = )\"(netattach(?:\\.[a-z]+)+)\"");
        for (Path file : files(SourceScan.MAIN, ".java")) {
            String text = read(file);
            Matcher c = configName.matcher(text);
            while (c.find()) {
                properties.add(c.group(1));
            }
            if (text.contains("io.micrometer")) {
                Matcher m = meterName.matcher(text);
                while (m.find()) {
                    metrics.add(m.group(1).replace('.', '_'));
                }
            }
        }
        assertTrue(properties.contains("netattach.catalog.mode") && metrics.contains("netattach_admission_reviews"),
                "found the properties and metrics in the code: " + properties + " " + metrics);
        String docs = allDocs();
        List<String> undocumented = Stream.concat(properties.stream(), metrics.stream()).filter(n -> !docs.contains(n)).toList();
        assertEquals(List.of(), undocumented, "configuration properties and metrics not in docs/");
    }

    @Test
    void everyBenchmarkHasItsCommandOnThePerformancePage() throws IOException {
        String performance = Files.readString(DOCS.resolve("performance.md"));
        List<String> missing = files(ROOT.resolve("bench"), ".sh").stream()
                .map(p -> "bench/" + p.getFileName())
                .filter(b -> !b.equals("bench/lib.sh"))
                .filter(b -> !performance.contains(b))
                .toList();
        assertEquals(List.of(), missing, "benchmarks not described in docs/performance.md");
    }

    @Test
    void theDocsCarryNoDatedLabNotes() {
        List<String> notes = new ArrayList<>();
        for (Path page : pages()) {
            String[] lines = read(page).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                Matcher m = DATED_NOTE.matcher(lines[i]);
                if (m.find()) {
                    notes.add(rel(page) + ":" + (i + 1) + ": \"" + m.group() + "\" in: " + lines[i].strip());
                }
            }
        }
        assertEquals(List.of(), notes, "figures come with the command that reproduces them, not with a date");
    }

    @Test
    void anchorsFollowGithubHeadingIds() {
        assertEquals("certificates-certsgeneratesh", slug("Certificates (`certs/generate.sh`)"));
        assertEquals("threat-model-what-a-namespace-admin-can-do-through-a-nad",
                slug("Threat model: what a namespace admin can do through a NAD"));
        assertEquals("seed-chain-adddel", slug("Seed chain ADD+DEL"));
        assertEquals("install-cni", slug("`install-cni`"));
    }

    // --- reading the pages ----------------------------------------------------------------------

    /** README.md and docs/**.md. */
    private static List<Path> pages() {
        List<Path> pages = new ArrayList<>();
        pages.add(README);
        pages.addAll(files(DOCS, ".md"));
        return pages;
    }

    /** Everything written for users: README and docs/. */
    private static String allDocs() {
        StringBuilder all = new StringBuilder(read(README));
        for (Path page : files(DOCS, ".md")) {
            all.append('\n').append(read(page));
        }
        return all.toString();
    }

    /** Link targets outside fenced code blocks. */
    private static List<String> linkTargets(Path page) {
        List<String> targets = new ArrayList<>();
        boolean fenced = false;
        for (String line : read(page).split("\n")) {
            if (line.stripLeading().startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            if (!fenced) {
                Matcher m = LINK_TARGET.matcher(line.replaceAll("`[^`]*`", "``"));
                while (m.find()) {
                    targets.add(m.group(1));
                }
            }
        }
        return targets;
    }

    private static final Map<Path, Set<String>> ANCHORS = new HashMap<>();

    /** The anchors GitHub gives the headings of a Markdown file (none for other files). */
    private static Set<String> anchors(Path file) {
        return ANCHORS.computeIfAbsent(file, f -> {
            Set<String> ids = new LinkedHashSet<>();
            if (!f.toString().endsWith(".md") || Files.isDirectory(f)) {
                return ids;
            }
            Map<String, Integer> seen = new HashMap<>();
            boolean fenced = false;
            for (String line : read(f).split("\n")) {
                if (line.stripLeading().startsWith("```")) {
                    fenced = !fenced;
                    continue;
                }
                Matcher m = HEADING.matcher(line);
                if (!fenced && m.matches()) {
                    String id = slug(m.group(2));
                    int n = seen.merge(id, 1, Integer::sum) - 1;
                    ids.add(n == 0 ? id : id + "-" + n);
                }
            }
            return ids;
        });
    }

    /** GitHub's heading id: lower case, punctuation dropped (letters, digits, '-', '_' and spaces kept), spaces to '-'. */
    static String slug(String heading) {
        String text = heading.replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").toLowerCase(Locale.ROOT);
        return text.replaceAll("[^\\p{L}\\p{N}\\s_-]", "").replace(' ', '-');
    }

    private static Set<String> labelKeys(String text) {
        Set<String> keys = new TreeSet<>();
        Matcher m = LABEL_KEY.matcher(text);
        while (m.find()) {
            keys.add(m.group());
        }
        return keys;
    }

    private static List<Path> files(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
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

    private static String rel(Path p) {
        return ROOT.relativize(p.toAbsolutePath()).toString();
    }
}

package io.netattach.deploy;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.netattach.cli.InstallCniCommand;
import io.netattach.plugin.PluginMain;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dockerfile.native cannot be built here (no container engine, no native-image), so this checks it
 * against the Maven build instead: everything it copies from the build context exists and is not
 * excluded by .dockerignore, every build output it uses is produced by {@code ./mvnw package} (this
 * test runs after process-classes) or by one of its own RUN steps, and the image layout matches
 * the plugin names, the install-cni defaults and the manifests.
 */
class DockerfileNativeTest {

    private static final Path DOCKERFILE = Manifests.ROOT.resolve("Dockerfile.native");
    private static final Path TARGET = Manifests.ROOT.resolve("target");

    record Instruction(int stage, String keyword, String args) {
    }

    /** Instructions with continuation lines joined and comments dropped; stage counts FROMs from 0. */
    static List<Instruction> parse(String text) {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int stage = -1;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (current.isEmpty() && (line.isEmpty() || line.startsWith("#"))) {
                continue;
            }
            if (!current.isEmpty() && line.startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String full = current.toString().strip();
            current.setLength(0);
            int space = full.indexOf(' ');
            String keyword = (space < 0 ? full : full.substring(0, space)).toUpperCase(java.util.Locale.ROOT);
            String args = space < 0 ? "" : full.substring(space + 1).strip().replaceAll("\\s+", " ");
            if (keyword.equals("FROM")) {
                stage++;
            }
            out.add(new Instruction(stage, keyword, args));
        }
        return out;
    }

    private static List<Instruction> instructions() throws IOException {
        return parse(Files.readString(DOCKERFILE));
    }

    /** The COPY arguments without flags: sources then destination. */
    private static List<String> copyOperands(Instruction copy) {
        return Stream.of(copy.args().split(" ")).filter(a -> !a.startsWith("--")).toList();
    }

    private static String flag(Instruction copy, String name) {
        return Stream.of(copy.args().split(" ")).filter(a -> a.startsWith("--" + name + "="))
                .map(a -> a.substring(name.length() + 3)).findFirst().orElse(null);
    }

    @Test
    void multiStageMandrelJdk25BuilderAndUbiMinimalRuntime() throws IOException {
        List<Instruction> from = instructions().stream().filter(i -> i.keyword().equals("FROM")).toList();
        assertEquals(2, from.size());
        assertEquals("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-25 AS build", from.get(0).args());
        assertTrue(from.get(1).args().startsWith("registry.access.redhat.com/ubi9/ubi-minimal:"), from.get(1).args());
        List<String> runs = instructions().stream().filter(i -> i.keyword().equals("RUN")).map(Instruction::args).toList();
        assertTrue(runs.contains("./mvnw -B package -Dnative -DskipTests"), runs.toString());
        assertTrue(runs.stream().anyMatch(r -> r.startsWith("native-image ")), runs.toString());
    }

    @Test
    void everythingCopiedFromTheContextExistsAndIsNotDockerignored() throws IOException {
        List<PathMatcherRule> ignore = dockerignore();
        int copies = 0;
        for (Instruction i : instructions()) {
            if (!i.keyword().equals("COPY") || flag(i, "from") != null) {
                continue;
            }
            List<String> operands = copyOperands(i);
            for (String source : operands.subList(0, operands.size() - 1)) {
                Path p = Manifests.ROOT.resolve(source);
                assertTrue(Files.exists(p), "COPY " + source + ": not in the repository");
                assertFalse(ignored(ignore, source), "COPY " + source + ": excluded by .dockerignore");
                copies++;
            }
        }
        assertEquals(4, copies, "mvnw, .mvn, pom.xml, src");
        // and the context leaves out what must not go into an image build
        for (String secret : List.of("target", ".git", "certs/out", "deploy/overlays/self-signed/tls", "certs/out/tls.key")) {
            assertTrue(ignored(ignore, secret), secret + " must be excluded by .dockerignore");
        }
    }

    @Test
    void everyBuildOutputItUsesIsProducedByTheMavenBuildOrByItsOwnSteps() throws IOException {
        List<Instruction> all = instructions();
        String nativeImage = all.stream().filter(i -> i.keyword().equals("RUN") && i.args().startsWith("native-image "))
                .findFirst().orElseThrow().args();

        // inputs of the plugin build: produced by ./mvnw package (process-classes ran before this test)
        Matcher cp = Pattern.compile("-cp (\\S+)").matcher(nativeImage);
        assertTrue(cp.find(), nativeImage);
        Path pluginJar = Manifests.ROOT.resolve(cp.group(1));
        assertTrue(Files.isRegularFile(pluginJar), cp.group(1) + " is not produced by the Maven build");
        try (JarFile jar = new JarFile(pluginJar.toFile())) {
            String main = jar.getManifest().getMainAttributes().getValue("Main-Class");
            assertEquals(PluginMain.class.getName(), main);
            assertTrue(nativeImage.contains(" " + main + " "), "native-image builds the jar's Main-Class: " + nativeImage);
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("io/quarkus/") || e.getName().startsWith("io/netattach/admission/")),
                    "the plugin jar holds no Quarkus and no webhook code");
        }
        Matcher config = Pattern.compile("-H:ConfigurationFileDirectories=(\\S+)").matcher(nativeImage);
        assertTrue(config.find(), nativeImage);
        Path metadata = Manifests.ROOT.resolve(config.group(1)).resolve("reachability-metadata.json");
        assertTrue(Files.isRegularFile(metadata), metadata + " (FFM downcalls) is not produced by the Maven build");
        assertTrue(Files.readString(metadata).contains("\"downcalls\""), "reachability metadata registers the FFM downcalls");
        assertTrue(nativeImage.contains("-H:+ForeignAPISupport") && nativeImage.contains("--enable-native-access=ALL-UNNAMED"));

        // outputs of its own steps
        Set<String> produced = new TreeSet<>();
        Matcher o = Pattern.compile("-o (target/\\S+)").matcher(nativeImage);
        while (o.find()) {
            produced.add("/code/" + o.group(1));
        }
        Matcher copied = Pattern.compile("cp target/\\*-runner (target/\\S+)").matcher(nativeImage);
        assertTrue(copied.find(), "the Quarkus runner is copied to a fixed name");
        produced.add("/code/" + copied.group(1));

        // the runner glob matches what quarkus-maven-plugin names a native build: <artifactId>-<version>-runner
        String pom = Files.readString(Manifests.ROOT.resolve("pom.xml"));
        String artifactId = tag(pom.substring(pom.indexOf("</parent>") + 1), "artifactId");
        String version = tag(pom.substring(pom.indexOf("<artifactId>" + artifactId)), "version");
        PathMatcher runner = FileSystems.getDefault().getPathMatcher("glob:target/*-runner");
        assertTrue(runner.matches(Path.of("target/" + artifactId + "-" + version + "-runner")));
        Properties app = new Properties();
        try (InputStream in = Files.newInputStream(Manifests.ROOT.resolve("src/main/resources/application.properties"))) {
            app.load(in);
        }
        assertFalse(app.stringPropertyNames().stream().anyMatch(k -> k.startsWith("quarkus.package.output-name")
                || k.startsWith("quarkus.package.runner-suffix")), "the runner keeps its default name");
        String nativeArgs = app.getProperty("quarkus.native.additional-build-args", "");
        assertTrue(nativeArgs.contains("-H:+ForeignAPISupport") && nativeArgs.contains("--enable-native-access=ALL-UNNAMED"),
                "the webhook's native build enables FFM too (Main reaches the plugin code): " + nativeArgs);

        List<Instruction> fromBuild = all.stream().filter(i -> i.keyword().equals("COPY") && "build".equals(flag(i, "from"))).toList();
        assertEquals(2, fromBuild.size());
        for (Instruction copy : fromBuild) {
            String source = copyOperands(copy).getFirst();
            assertTrue(produced.contains(source), "COPY --from=build " + source + " is produced by no build step " + produced);
        }
    }

    @Test
    void imageLayoutMatchesThePluginNamesInstallCniAndTheManifests() throws IOException {
        List<Instruction> runtime = instructions().stream().filter(i -> i.stage() == 1).toList();
        String source = InstallCniCommand.DEFAULT_SOURCE.toString();
        Set<String> plugins = new TreeSet<>();
        Pattern plugin = Pattern.compile(Pattern.quote(source) + "/([A-Za-z0-9._-]+)");
        for (Instruction i : runtime) {
            if (i.keyword().equals("COPY") || i.keyword().equals("RUN")) {
                Matcher m = plugin.matcher(i.args());
                while (m.find()) {
                    plugins.add(m.group(1));
                }
            }
        }
        assertEquals(new TreeSet<>(PluginMain.PLUGINS), plugins, "the image's " + source + " holds exactly the plugins");

        String user = runtime.stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b).orElseThrow().args();
        assertTrue(user.matches("[1-9][0-9]*"), "numeric non-root USER (runAsNonRoot can verify it): " + user);
        String entrypoint = runtime.stream().filter(i -> i.keyword().equals("ENTRYPOINT")).findFirst().orElseThrow().args();
        assertEquals("[\"/opt/netattach/bin/netattach\"]", entrypoint);
        assertTrue(runtime.stream().anyMatch(i -> i.keyword().equals("COPY") && i.args().endsWith(" /opt/netattach/bin/netattach")));
        assertEquals("[\"serve\"]", runtime.stream().filter(i -> i.keyword().equals("CMD")).findFirst().orElseThrow().args());

        List<Manifests.Doc> base = Manifests.readTree(Manifests.DEPLOY.resolve("base"));
        Deployment deployment = Manifests.typed(Manifests.one(base, "Deployment", "netattach-webhook"), Deployment.class);
        DaemonSet daemonSet = Manifests.typed(Manifests.one(base, "DaemonSet", "netattach-cni"), DaemonSet.class);
        int https = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().getFirst().getContainerPort();
        int health = daemonSet.getSpec().getTemplate().getSpec().getContainers().getFirst().getPorts().getFirst().getContainerPort();
        String expose = runtime.stream().filter(i -> i.keyword().equals("EXPOSE")).findFirst().orElseThrow().args();
        assertEquals(https + " " + health, expose);
        assertNotEquals("0", user);
    }

    private static String tag(String xml, String name) {
        int start = xml.indexOf("<" + name + ">") + name.length() + 2;
        return xml.substring(start, xml.indexOf("</" + name + ">", start)).strip();
    }

    /** One .dockerignore line: a glob, negated or not. Later lines win, as in Docker. */
    record PathMatcherRule(boolean exclude, String pattern) {
        boolean matches(String path) {
            String p = pattern.endsWith("/") ? pattern.substring(0, pattern.length() - 1) : pattern;
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p);
            // a pattern matching a directory matches everything below it
            Path candidate = Path.of(path);
            for (Path prefix = candidate; prefix != null; prefix = prefix.getParent()) {
                if (m.matches(prefix)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static List<PathMatcherRule> dockerignore() throws IOException {
        List<PathMatcherRule> rules = new ArrayList<>();
        for (String line : Files.readAllLines(Manifests.ROOT.resolve(".dockerignore"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            rules.add(l.startsWith("!") ? new PathMatcherRule(false, l.substring(1)) : new PathMatcherRule(true, l));
        }
        return rules;
    }

    private static boolean ignored(List<PathMatcherRule> rules, String path) {
        boolean ignored = false;
        for (PathMatcherRule rule : rules) {
            if (rule.matches(path)) {
                ignored = rule.exclude();
            }
        }
        return ignored;
    }

    @Test
    void theParserJoinsContinuationsAndCountsStages() {
        List<Instruction> parsed = parse("""
                # comment
                FROM a AS build
                RUN one \\
                  # inner comment
                  two
                FROM b
                COPY --from=build /x /y
                """);
        assertEquals(List.of(new Instruction(0, "FROM", "a AS build"), new Instruction(0, "RUN", "one two"),
                new Instruction(1, "FROM", "b"), new Instruction(1, "COPY", "--from=build /x /y")), parsed);
        assertTrue(TARGET.isAbsolute());
    }
}

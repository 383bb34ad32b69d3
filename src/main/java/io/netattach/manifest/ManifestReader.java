package io.netattach.manifest;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The one reader of Kubernetes manifests and bare CNI config files: the server's directory catalog
 * ({@code io.netattach.catalog.DirectoryNadCatalog}), {@code lint}, {@code inject}, {@code demo} and
 * {@code plan} all read files through it, and {@link #isNad} is the one test of "this document is a
 * NetworkAttachmentDefinition", so the same directory gives the same NADs everywhere.
 * Framework-free (Jackson only).
 *
 * <p>File names are matched case-insensitively ({@code .yaml}, {@code .YML}, {@code .Json}); a UTF-8
 * byte-order mark is ignored.
 *
 * <ul>
 *   <li>YAML files ({@code .yaml}, {@code .yml}, and any other name given explicitly): every document of a
 *       multi-document file; a {@code List} kind ({@code kind: List} or {@code *List} with {@code items})
 *       yields one document per item.</li>
 *   <li>{@code .json} files: a Kubernetes object (has {@code apiVersion} or {@code kind}) or, otherwise,
 *       a bare CNI config.</li>
 *   <li>{@code .conf} and {@code .conflist} files: bare CNI configs (their text, for the strict CNI JSON reader).</li>
 *   <li>Directories: the files above, recursively, in name order; hidden entries are skipped.</li>
 *   <li>{@code -}: standard input, as YAML.</li>
 * </ul>
 * Anything that cannot be read (missing, not a regular file, no permission, not UTF-8, too large,
 * YAML/JSON syntax error) is an {@link UnreadableInputException} whose message names the file.
 */
public final class ManifestReader {

    /** The kind of a NetworkAttachmentDefinition. */
    public static final String NAD_KIND = "NetworkAttachmentDefinition";
    /** The API group of a NetworkAttachmentDefinition ({@code apiVersion} is {@code k8s.cni.cncf.io/<version>}). */
    public static final String NAD_GROUP = "k8s.cni.cncf.io";

    /** Largest file read, in bytes. */
    public static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final List<String> EXTENSIONS = List.of(".yaml", ".yml", ".json", ".conf", ".conflist");

    private final YAMLMapper yaml = new YAMLMapper();
    private final ObjectMapper json = new ObjectMapper();
    private final InputStream stdin;

    public ManifestReader() {
        this(System.in);
    }

    public ManifestReader(InputStream stdin) {
        this.stdin = stdin;
    }

    /**
     * One document of an input file.
     *
     * @param file        the file as named on the command line (or found under a named directory)
     * @param index       1-based index of the YAML document in the file (1 for JSON and CNI files)
     * @param itemPointer JSON Pointer of the item inside a {@code List} document ({@code /items/2}), else empty
     * @param content     what the document holds
     */
    public record Document(Path file, int index, String itemPointer, Content content) {
    }

    /** What a document holds. */
    public sealed interface Content {
        /** A Kubernetes object (or anything else a YAML/JSON manifest document holds). */
        record KubernetesObject(JsonNode node) implements Content {
        }

        /** The text of a bare CNI network config (conflist or single plugin). */
        record CniConfig(String text) implements Content {
        }
    }

    /** Input that cannot be read; the message names the file and says why, on one line. */
    public static final class UnreadableInputException extends Exception {
        private static final long serialVersionUID = 1L;

        public UnreadableInputException(String message) {
            super(message);
        }
    }

    /**
     * Whether a document is a NetworkAttachmentDefinition: an object with {@code kind:
     * NetworkAttachmentDefinition} and an {@code apiVersion} of the group {@code k8s.cni.cncf.io}.
     */
    public static boolean isNad(JsonNode node) {
        if (node == null || !node.isObject()) {
            return false;
        }
        JsonNode kind = node.get("kind");
        JsonNode apiVersion = node.get("apiVersion");
        return kind != null && NAD_KIND.equals(kind.textValue())
                && apiVersion != null && apiVersion.isTextual() && apiVersion.textValue().startsWith(NAD_GROUP + "/");
    }

    /** Why a document with {@code kind: NetworkAttachmentDefinition} is not one by {@link #isNad}, or null. */
    public static String notANadReason(JsonNode node) {
        if (node == null || !node.isObject() || !NAD_KIND.equals(node.path("kind").textValue()) || isNad(node)) {
            return null;
        }
        JsonNode apiVersion = node.get("apiVersion");
        return "apiVersion " + (apiVersion == null ? "missing" : apiVersion.toString()) + " is not " + NAD_GROUP + "/<version>";
    }

    /** A NetworkAttachmentDefinition found by {@link #nads}: the document it is in and its tree. */
    public record FoundNad(Document document, JsonNode node) {
    }

    /** What {@link #nads} found: the NADs in file and document order, and one line per unreadable input. */
    public record NadScan(List<FoundNad> nads, List<String> problems) {
        public NadScan {
            nads = List.copyOf(nads);
            problems = List.copyOf(problems);
        }
    }

    /**
     * The NetworkAttachmentDefinitions under {@code paths} (files or directories, as {@link #expand});
     * never throws for bad input: what cannot be read is a line of {@link NadScan#problems()} and the
     * rest is still read.
     */
    public NadScan nads(List<Path> paths) {
        List<FoundNad> nads = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path path : paths) {
            List<Path> files;
            try {
                files = expand(path);
            } catch (UnreadableInputException e) {
                problems.add(e.getMessage());
                continue;
            }
            for (Path file : files) {
                try {
                    for (Document doc : read(file)) {
                        if (doc.content() instanceof Content.KubernetesObject(JsonNode node) && isNad(node)) {
                            nads.add(new FoundNad(doc, node));
                        }
                    }
                } catch (UnreadableInputException e) {
                    problems.add(e.getMessage());
                }
            }
        }
        return new NadScan(nads, problems);
    }

    /** Whether {@link #expand} takes a file found in a directory (by its extension, in any case). */
    public static boolean isManifestName(Path file) {
        Path name = file.getFileName();
        return name != null && EXTENSIONS.stream().anyMatch(e -> name.toString().toLowerCase(Locale.ROOT).endsWith(e));
    }

    /** The files a command-line path stands for: the file itself, or a directory's matching files recursively. */
    public List<Path> expand(Path path) throws UnreadableInputException {
        if (path.toString().equals("-")) {
            return List.of(path);
        }
        if (!Files.exists(path)) {
            throw new UnreadableInputException(path + ": no such file or directory");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        if (!Files.isReadable(path)) {
            throw new UnreadableInputException(path + ": permission denied");
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(p -> !p.equals(path))
                    .filter(p -> !hiddenBelow(path, p))
                    .filter(Files::isRegularFile)
                    .filter(ManifestReader::isManifestName)
                    .sorted()
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new UnreadableInputException(path + ": cannot list directory: " + message(e));
        }
    }

    private static boolean hiddenBelow(Path root, Path p) {
        for (Path part : root.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    /** All documents of one file (as returned by {@link #expand}). Empty YAML documents are left out. */
    public List<Document> read(Path file) throws UnreadableInputException {
        String text = text(file);
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".conf") || name.endsWith(".conflist")) {
            return List.of(new Document(file, 1, "", new Content.CniConfig(text)));
        }
        if (name.endsWith(".json")) {
            JsonNode node;
            try {
                node = json.readTree(text);
            } catch (JsonProcessingException e) {
                throw new UnreadableInputException(file + ": invalid JSON" + location(e) + ": " + firstLine(e.getOriginalMessage()));
            }
            if (node == null || node.isMissingNode()) {
                return List.of();
            }
            if (node.isObject() && (node.has("apiVersion") || node.has("kind"))) {
                return documents(file, 1, node);
            }
            return List.of(new Document(file, 1, "", new Content.CniConfig(text)));
        }
        List<Document> documents = new ArrayList<>();
        try (JsonParser parser = yaml.getFactory().createParser(text)) {
            MappingIterator<JsonNode> it = yaml.readValues(parser, JsonNode.class);
            int index = 0;
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                index++;
                if (node != null && !node.isNull() && !node.isMissingNode()) {
                    documents.addAll(documents(file, index, node));
                }
            }
        } catch (JsonProcessingException e) {
            throw new UnreadableInputException(file + ": invalid YAML" + location(e) + ": " + yamlProblem(e));
        } catch (IOException | RuntimeException e) {
            throw new UnreadableInputException(file + ": cannot parse YAML: " + message(e));
        }
        return documents;
    }

    private static List<Document> documents(Path file, int index, JsonNode node) {
        JsonNode items = node.get("items");
        JsonNode kind = node.get("kind");
        if (kind != null && kind.isTextual() && kind.textValue().endsWith("List") && items != null && items.isArray()) {
            List<Document> result = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                result.add(new Document(file, index, "/items/" + i, new Content.KubernetesObject(items.get(i))));
            }
            return result;
        }
        return List.of(new Document(file, index, "", new Content.KubernetesObject(node)));
    }

    private String text(Path file) throws UnreadableInputException {
        byte[] bytes;
        try {
            if (file.toString().equals("-")) {
                bytes = stdin.readNBytes((int) MAX_FILE_BYTES + 1);
            } else {
                if (Files.isDirectory(file)) {
                    throw new UnreadableInputException(file + ": is a directory");
                }
                if (!Files.isRegularFile(file)) {
                    throw new UnreadableInputException(file + (Files.exists(file) ? ": not a regular file" : ": no such file or directory"));
                }
                if (Files.size(file) > MAX_FILE_BYTES) {
                    throw new UnreadableInputException(file + ": larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB");
                }
                bytes = Files.readAllBytes(file);
            }
        } catch (NoSuchFileException e) {
            throw new UnreadableInputException(file + ": no such file or directory");
        } catch (AccessDeniedException e) {
            throw new UnreadableInputException(file + ": permission denied");
        } catch (IOException e) {
            throw new UnreadableInputException(file + ": cannot read: " + message(e));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new UnreadableInputException(file + ": larger than " + MAX_FILE_BYTES / (1024 * 1024) + " MiB");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;
        } catch (CharacterCodingException e) {
            throw new UnreadableInputException(file + ": not UTF-8 text");
        }
    }

    private static String location(JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null || l.getLineNr() < 1 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }

    /** The problem lines of a SnakeYAML message, without its source excerpts and carets. */
    private static String yamlProblem(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        List<String> parts = new ArrayList<>();
        for (String line : original.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("in 'reader'") || t.startsWith("^") || line.startsWith("    ")) {
                continue;
            }
            parts.add(t);
        }
        return parts.isEmpty() ? "syntax error" : String.join(": ", parts);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return firstLine(m == null ? e.getClass().getSimpleName() : m);
    }
}

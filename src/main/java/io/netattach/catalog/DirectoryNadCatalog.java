package io.netattach.catalog;

import io.netattach.injection.NadInfo;
import io.netattach.injection.NamespaceNads;
import io.netattach.manifest.ManifestReader;
import io.netattach.plan.SegmentIndex;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Standalone catalog: the NetworkAttachmentDefinitions found in a directory of manifests, read by the
 * same {@link ManifestReader} as {@code lint} and {@code inject} (YAML or JSON, multi-document, {@code *List}
 * kinds, recursively; other kinds are skipped; a NAD without namespace is in {@code default}).
 * The directory is polled ({@code netattach.catalog.poll-interval}) and re-read whenever a file's
 * modification time or size changes or a file appears or disappears; polling rather than a
 * WatchService also follows ConfigMap volumes, whose files are symlink swaps.
 *
 * <p>Not ready while the directory does not exist.
 */
public final class DirectoryNadCatalog implements NadCatalog {

    private static final Logger LOG = Logger.getLogger(DirectoryNadCatalog.class);

    private final Path directory;
    private final Duration pollInterval;
    private final CatalogIndex index;
    private final SegmentIndex segments = new SegmentIndex();
    private final ManifestReader reader = new ManifestReader(java.io.InputStream.nullInputStream());
    private volatile Map<String, List<NadInfo>> byNamespace = Map.of();
    private volatile boolean ready;
    private volatile String status;
    private volatile int size;
    private List<String> fingerprint = null; // guarded by this
    private ScheduledExecutorService poller;

    public DirectoryNadCatalog(Path directory, Duration pollInterval, Consumer<String> problemSink) {
        this.directory = directory;
        this.pollInterval = pollInterval;
        this.index = new CatalogIndex(ns -> byNamespace.getOrDefault(ns, List.of()), problemSink);
        this.status = "directory " + directory + " not read yet";
    }

    @Override
    public synchronized void start() {
        reload();
        if (poller == null && !pollInterval.isZero() && !pollInterval.isNegative()) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "netattach-nad-directory");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::reloadQuietly, pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void reloadQuietly() {
        try {
            reload();
        } catch (RuntimeException e) {
            LOG.warnf("reading NADs from %s failed: %s", directory, e.toString());
        }
    }

    /** Re-reads the directory when it changed; returns whether it did. */
    public synchronized boolean reload() {
        if (!Files.isDirectory(directory)) {
            if (ready || fingerprint == null) {
                LOG.warnf("NAD directory %s %s; the catalog is not ready until it appears"
                        + " (set netattach.catalog.directory or run serve --nads DIR)",
                        directory, Files.exists(directory) ? "is not a directory" : "does not exist");
            }
            ready = false;
            fingerprint = List.of();
            status = "directory " + directory + (Files.exists(directory) ? " is not a directory" : " does not exist");
            return false;
        }
        List<String> current;
        try {
            current = fingerprint();
        } catch (IOException e) {
            status = "cannot list " + directory + ": " + e.getMessage();
            return false;
        }
        if (current.equals(fingerprint) && ready) {
            return false;
        }
        ManifestReader.NadScan scan = reader.nads(List.of(directory));
        for (String problem : scan.problems()) {
            LOG.warn(problem);
        }
        Map<String, Map<String, NadInfo>> grouped = new HashMap<>();
        for (ManifestReader.FoundNad found : scan.nads()) {
            ManifestReader.Document doc = found.document();
            NadInfo nad = NadInfo.fromManifest(found.node(), "default");
            if (nad == null) {
                LOG.warnf("%s: document %d is a NetworkAttachmentDefinition without metadata.name; skipped", doc.file(), doc.index());
                continue;
            }
            NadInfo previous = grouped.computeIfAbsent(nad.namespace(), k -> new HashMap<>()).put(nad.name(), nad);
            if (previous != null) {
                LOG.warnf("%s: NetworkAttachmentDefinition %s defined more than once; the later one is used", doc.file(), nad.key());
            }
        }
        Map<String, List<NadInfo>> next = new HashMap<>();
        Set<String> keys = new HashSet<>();
        List<NadInfo> all = new ArrayList<>();
        int count = 0;
        for (Map.Entry<String, Map<String, NadInfo>> e : grouped.entrySet()) {
            next.put(e.getKey(), List.copyOf(e.getValue().values()));
            for (NadInfo nad : e.getValue().values()) {
                keys.add(nad.key());
                all.add(nad);
                index.noteProblems(nad);
                count++;
            }
        }
        index.retainProblems(keys);
        byNamespace = Map.copyOf(next);
        index.invalidateAll();
        segments.replaceAll(all);
        size = count;
        fingerprint = current;
        ready = true;
        status = count + " NADs from " + directory;
        LOG.infof("loaded %d NetworkAttachmentDefinitions from %s", count, directory);
        return true;
    }

    private List<String> fingerprint() throws IOException {
        List<String> entries = new ArrayList<>();
        List<Path> files;
        try {
            files = reader.expand(directory);
        } catch (ManifestReader.UnreadableInputException e) {
            throw new IOException(e.getMessage(), e);
        }
        for (Path file : files) {
            try {
                java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
                entries.add(file + "|" + a.lastModifiedTime().toInstant() + "|" + a.size() + "|" + a.fileKey());
            } catch (IOException e) {
                entries.add(file + "|gone");
            }
        }
        return entries;
    }

    /** The {@code namespace/name} keys of the NADs read, sorted (what the directory holds, for tests and logs). */
    public List<String> keys() {
        return byNamespace.values().stream().flatMap(List::stream).map(NadInfo::key).sorted().toList();
    }

    /** The directory read. */
    public Path directory() {
        return directory;
    }

    @Override
    public NamespaceNads namespace(String namespace) {
        return index.namespace(namespace);
    }

    @Override
    public SegmentIndex segments() {
        return segments;
    }

    @Override
    public boolean covers(String namespace) {
        return ready;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public String status() {
        return status;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int invalidAnnotations() {
        return index.invalidAnnotations();
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
            poller = null;
        }
    }
}

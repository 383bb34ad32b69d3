package io.netattach.cni;

import java.util.ArrayList;
import java.util.List;

/** Collects the findings of one validation or config load (one instance per run; not shared between threads). */
public final class Findings {

    private final List<Finding> list = new ArrayList<>();

    public void error(String path, String message) {
        list.add(Finding.error(path, message));
    }

    public void warning(String path, String message) {
        list.add(Finding.warning(path, message));
    }

    public void add(Severity severity, String path, String message) {
        list.add(new Finding(severity, path, message));
    }

    public List<Finding> list() {
        return list;
    }

    /** Adds every finding of {@code findings} with {@code prefix} (a JSON Pointer) put before its path. */
    public void addAll(String prefix, List<Finding> findings) {
        for (Finding f : findings) {
            list.add(new Finding(f.severity(), prefix + f.path(), f.message()));
        }
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(Finding::isError);
    }
}

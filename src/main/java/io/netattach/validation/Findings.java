package io.netattach.validation;

import io.netattach.cni.Finding;
import io.netattach.cni.Severity;

import java.util.ArrayList;
import java.util.List;

/** Collects the findings of one validation run (one instance per run; not shared between threads). */
final class Findings {

    private final List<Finding> list = new ArrayList<>();

    void error(String path, String message) {
        list.add(Finding.error(path, message));
    }

    void warning(String path, String message) {
        list.add(Finding.warning(path, message));
    }

    void add(Severity severity, String path, String message) {
        list.add(new Finding(severity, path, message));
    }

    List<Finding> list() {
        return list;
    }
}

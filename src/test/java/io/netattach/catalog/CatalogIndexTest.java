package io.netattach.catalog;

import io.netattach.injection.NadInfo;
import io.netattach.injection.NamespaceNads;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class CatalogIndexTest {

    @Test
    void buildsEachNamespaceOnceUntilInvalidated() {
        Map<String, List<NadInfo>> data = new ConcurrentHashMap<>();
        data.put("a", List.of(NadInfo.plain("a", "n1")));
        AtomicInteger loads = new AtomicInteger();
        CatalogIndex index = new CatalogIndex(ns -> {
            loads.incrementAndGet();
            return data.getOrDefault(ns, List.of());
        }, line -> { });
        NamespaceNads first = index.namespace("a");
        assertSame(first, index.namespace("a"));
        index.namespace("b");
        assertEquals(2, loads.get());

        data.put("a", List.of(NadInfo.plain("a", "n1"), NadInfo.plain("a", "n2")));
        index.invalidate("b");
        assertSame(first, index.namespace("a"), "other namespaces are not rebuilt");
        index.invalidate("a");
        assertEquals(2, index.namespace("a").size());
        assertEquals(3, loads.get(), "b is rebuilt only when read");
        index.invalidateAll();
        index.namespace("a");
        index.namespace("a");
        assertEquals(4, loads.get());
    }

    @Test
    void problemsAreReportedOncePerDistinctSet() throws Exception {
        List<String> lines = new ArrayList<>();
        CatalogIndex index = new CatalogIndex(ns -> List.of(), lines::add);
        NadInfo bad = nad("x in (", "eth1");
        index.noteProblems(bad);
        index.noteProblems(bad);
        assertEquals(1, lines.size());
        assertEquals(1, index.invalidAnnotations());
        index.noteProblems(nad("x in (", "eth0"));
        assertEquals(3, lines.size(), lines.toString());
        index.noteProblems(nad("x", "eth1"));
        assertEquals(0, index.invalidAnnotations());
        index.noteProblems(bad);
        index.forget("ns", "n");
        assertEquals(0, index.invalidAnnotations());
    }

    private static NadInfo nad(String selector, String iface) throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var node = mapper.readTree("{\"metadata\":{\"name\":\"n\",\"namespace\":\"ns\",\"annotations\":{\"netattach.io/inject-selector\":"
                + mapper.writeValueAsString(selector) + ",\"netattach.io/interface\":\"" + iface + "\"}},\"spec\":{}}");
        return NadInfo.fromManifest(node, "default");
    }
}

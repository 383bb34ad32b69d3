package io.netattach.plan;

import io.netattach.cni.Json;
import io.netattach.cni.JsonException;
import io.netattach.cni.JsonValue;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParsedConfigsTest {

    private static String config(int n) {
        return "{\"cniVersion\":\"0.4.0\",\"name\":\"net-" + n + "\",\"plugins\":[{\"type\":\"macvlan\",\"master\":\"eth0\","
                + "\"ipam\":{\"type\":\"static\",\"addresses\":[{\"address\":\"192.168." + (n % 250) + ".10/24\"}]}}]}";
    }

    @Test
    void anEqualTextGetsTheTreeParsedBeforeAndAChangedTextItsOwn() {
        ParsedConfigs cache = new ParsedConfigs();
        String text = config(1);
        JsonValue first = cache.parse(text);
        assertEquals(Json.parse(text), first);
        assertSame(first, cache.parse(text), "same text instance");
        assertSame(first, cache.parse(new String(text.toCharArray())), "an equal text of another instance");
        String changed = text.replace("192.168.1.10/24", "192.168.1.11/24");
        JsonValue other = cache.parse(changed);
        assertEquals(Json.parse(changed), other);
        assertNotSame(first, other);
    }

    @Test
    void textsSharingASlotEachGetTheirOwnTree() {
        ParsedConfigs cache = new ParsedConfigs();
        String a = config(7);
        String b = null;
        for (int n = 8; b == null; n++) { // another config that falls into a's slot
            String candidate = config(n);
            if ((candidate.hashCode() & (ParsedConfigs.SLOTS - 1)) == (a.hashCode() & (ParsedConfigs.SLOTS - 1))) {
                b = candidate;
            }
        }
        for (int round = 0; round < 3; round++) {
            assertEquals(Json.parse(a), cache.parse(a));
            assertEquals(Json.parse(b), cache.parse(b));
        }
    }

    @Test
    void largeTextsAreNotKeptAndBadTextsThrowEveryTime() {
        ParsedConfigs cache = new ParsedConfigs();
        StringBuilder big = new StringBuilder("{\"cniVersion\":\"0.4.0\",\"name\":\"big\",\"pad\":\"");
        big.append("x".repeat(ParsedConfigs.MAX_CACHED_LENGTH)).append("\"}");
        String text = big.toString();
        JsonValue first = cache.parse(text);
        assertEquals(Json.parse(text), first);
        assertNotSame(first, cache.parse(text), "a text over the limit is parsed each time, not kept");
        String bad = "{\"cniVersion\": ";
        assertThrows(JsonException.class, () -> cache.parse(bad));
        assertThrows(JsonException.class, () -> cache.parse(bad), "a text that does not parse is not kept");
    }

    @Test
    void threadsSharingTheCacheEachGetTheTreeOfTheirText() throws Exception {
        ParsedConfigs cache = new ParsedConfigs();
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < 2_000; n++) { // more texts than slots: hits, misses and evictions
            texts.add(config(n));
        }
        List<JsonValue> expected = texts.stream().map(Json::parse).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t * 97;
                results.add(pool.submit(() -> {
                    int checked = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < texts.size(); i++) {
                            int k = (i + offset + round * 31) % texts.size();
                            assertEquals(expected.get(k), cache.parse(texts.get(k)), texts.get(k));
                            checked++;
                        }
                    }
                    return checked;
                }));
            }
            for (Future<Integer> f : results) {
                assertEquals(40_000, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}

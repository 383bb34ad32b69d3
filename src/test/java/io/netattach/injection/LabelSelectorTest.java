package io.netattach.injection;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelSelectorTest {

    /** labels as "k=v;k2=v2" (empty: no labels). */
    private static Map<String, String> labels(String spec) {
        Map<String, String> map = new HashMap<>();
        if (spec == null || spec.isEmpty()) {
            return map;
        }
        for (String pair : spec.split(";")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' on ''{1}'' -> {2}")
    @CsvSource(delimiter = '|', nullValues = "NULL", textBlock = """
            app=chain-test                 | app=chain-test                 | true
            app=chain-test                 | app=other                      | false
            app=chain-test                 | ''                             | false
            app==chain-test                | app=chain-test                 | true
            app!=chain-test                | app=other                      | true
            app!=chain-test                | ''                             | true
            app!=chain-test                | app=chain-test                 | false
            tier in (a,b)                  | tier=b                         | true
            tier in (a,b)                  | tier=c                         | false
            tier in (a,b)                  | ''                             | false
            tier in(a, b)                  | tier=a                         | true
            tier notin (a)                 | tier=b                         | true
            tier notin (a)                 | ''                             | true
            tier notin (a)                 | tier=a                         | false
            legacy                         | legacy=                        | true
            legacy                         | x=y                            | false
            !legacy                        | x=y                            | true
            !legacy                        | legacy=1                       | false
            app=a,tier in (x,y),!legacy    | app=a;tier=y                   | true
            app=a,tier in (x,y),!legacy    | app=a;tier=y;legacy=true       | false
            app=a , tier notin (x)         | app=a;tier=z                   | true
            '  app = a  '                  | app=a                          | true
            ''                             | anything=goes                  | true
            ''                             | ''                             | true
            example.com/role=db            | example.com/role=db            | true
            app=                           | app=                           | true
            app=                           | app=x                          | false
            replicas>2                     | replicas=3                     | true
            replicas>2                     | replicas=2                     | false
            replicas<2                     | replicas=1                     | true
            replicas>2                     | replicas=many                  | false
            tier in ()                     | tier=                          | true
            tier in (a,)                   | tier=                          | true
            """)
    void matches(String selector, String labelSpec, boolean expected) throws Exception {
        assertEquals(expected, LabelSelector.parse(selector).matches(labels(labelSpec)));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' is invalid: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            app=a,                   | expected a requirement after ','
            ',app=a'                 | expected a label key
            app in a                 | expected '('
            app in (a                | expected a value, ',' or ')'
            app in (a b)             | expected ',' or ')'
            app = = a                | expected a value
            app=a b                  | expected ',' or end of selector
            !app=a                   | after "!app"
            -bad=a                   | invalid label key "-bad"
            a/b/c=x                  | at most one '/'
            Example.COM/x=y          | must be a DNS-1123 subdomain
            app=-bad-                | invalid value "-bad-"
            replicas>two             | must be an integer
            (app)                    | expected a label key
            app notin                | expected '('
            /x=y                     | prefix before '/' must not be empty
            """)
    void rejects(String selector, String messagePart) {
        LabelSelector.InvalidSelectorException e = assertThrows(LabelSelector.InvalidSelectorException.class, () -> LabelSelector.parse(selector));
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + selector + "\""), "quotes the selector: " + e.getMessage());
    }

    @Test
    void longNamePartIsRejected() {
        String key = "a".repeat(64);
        assertThrows(LabelSelector.InvalidSelectorException.class, () -> LabelSelector.parse(key + "=x"));
        assertThrows(LabelSelector.InvalidSelectorException.class, () -> LabelSelector.parse("x=" + "v".repeat(64)));
    }

    @Test
    void equalSelectorsHaveEqualCanonicalText() throws Exception {
        LabelSelector a = LabelSelector.parse("tier in (b,a), app==x");
        LabelSelector b = LabelSelector.parse("app=x,tier in (a,b)");
        assertEquals(a, b);
        assertEquals("app=x,tier in (a,b)", a.toString());
        assertEquals(LabelSelector.everything(), LabelSelector.parse("   "));
    }
}

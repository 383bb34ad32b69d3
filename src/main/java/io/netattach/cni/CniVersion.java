package io.netattach.cni;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The released CNI specification versions, oldest first. */
public enum CniVersion {
    V0_1_0("0.1.0"),
    V0_2_0("0.2.0"),
    V0_3_0("0.3.0"),
    V0_3_1("0.3.1"),
    V0_4_0("0.4.0"),
    V1_0_0("1.0.0"),
    V1_1_0("1.1.0");

    /** The version a config without {@code cniVersion} is treated as. */
    public static final CniVersion ASSUMED_WHEN_MISSING = V0_1_0;
    /** The newest version this code implements. */
    public static final CniVersion CURRENT = V1_1_0;

    private final String text;

    CniVersion(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** Exact match against the released version strings, as the reference skel does. */
    public static Optional<CniVersion> parse(String text) {
        for (CniVersion v : values()) {
            if (v.text.equals(text)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    public static List<String> texts() {
        return Arrays.stream(values()).map(CniVersion::text).toList();
    }

    public boolean atLeast(CniVersion other) {
        return compareTo(other) >= 0;
    }

    /** Chaining with prevResult exists from 0.3.0. */
    public boolean supportsChaining() {
        return atLeast(V0_3_0);
    }

    /** CHECK exists from 0.4.0. */
    public boolean supportsCheck() {
        return atLeast(V0_4_0);
    }

    /** STATUS and GC exist from 1.1.0. */
    public boolean supportsStatusAndGc() {
        return atLeast(V1_1_0);
    }

    /** Results before 1.0.0 carry {@code ips[].version}. */
    public boolean resultHasIpVersion() {
        return atLeast(V0_3_0) && !atLeast(V1_0_0);
    }

    @Override
    public String toString() {
        return text;
    }
}

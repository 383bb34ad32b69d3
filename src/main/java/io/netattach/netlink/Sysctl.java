package io.netattach.netlink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes {@code /proc/sys/net/...}. The files resolve to the network namespace of the
 * calling thread, so to change a pod's settings call these inside {@link Netns#run}.
 * Names use slashes ({@code net/ipv4/conf/eth1/arp_notify}) since interface names may contain dots.
 */
public final class Sysctl {
    private Sysctl() {
    }

    private static Path path(String name) {
        if (!name.startsWith("net/") || name.contains("..") || name.contains("//")) {
            throw new IllegalArgumentException("sysctl name must be under net/ without '..': \"" + name + "\"");
        }
        return Path.of("/proc/sys", name);
    }

    public static void write(String name, String value) {
        try {
            Files.writeString(path(name), value, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("failed to set sysctl " + name + "=" + value + ": " + e.getMessage(), e);
        }
    }

    public static String read(String name) {
        try {
            return Files.readString(path(name), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("failed to read sysctl " + name + ": " + e.getMessage(), e);
        }
    }
}

package io.netattach.cni;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An Ethernet MAC address as an interface address, the one parser for every MAC field (macvlan
 * {@code mac}, {@code runtimeConfig.mac}, CNI_ARGS {@code MAC=}): six hex pairs separated all by
 * {@code :} or all by {@code -} (mixed separators are refused, as Go's {@code net.ParseMAC} does), unicast
 * and not all zero.
 *
 * @param text the address in canonical form: lower case, {@code :} separators
 */
public record MacAddress(String text) {

    private static final Pattern FORM = Pattern.compile("[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(\\1[0-9A-Fa-f]{2}){4}");
    /** Go's dotted form {@code 0a58.0a80.0005}. */
    private static final Pattern DOTTED = Pattern.compile("[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}");

    /** Why {@code s} is not a usable interface MAC address (a phrase to follow the quoted value), or empty when it is. */
    public static Optional<String> problem(String s) {
        if (!FORM.matcher(s).matches() && !DOTTED.matcher(s).matches()) {
            return Optional.of("is not a MAC address (six hex pairs separated all by \":\" or all by \"-\", such as 0a:58:0a:80:00:05)");
        }
        if ((Integer.parseInt(s.substring(0, 2), 16) & 1) != 0) {
            return Optional.of("is a multicast MAC address: an interface needs a unicast one");
        }
        if (s.replaceAll("[-:.]", "").matches("0{12}")) {
            return Optional.of("is the all-zero MAC address: an interface cannot have it");
        }
        return Optional.empty();
    }

    /** The canonical address of {@code s}, empty when {@link #problem(String)} has one. */
    public static Optional<MacAddress> parse(String s) {
        if (problem(s).isPresent()) {
            return Optional.empty();
        }
        String hex = s.replaceAll("[-:.]", "").toLowerCase(Locale.ROOT);
        StringBuilder canonical = new StringBuilder(17);
        for (int i = 0; i < 12; i += 2) {
            canonical.append(i == 0 ? "" : ":").append(hex, i, i + 2);
        }
        return Optional.of(new MacAddress(canonical.toString()));
    }

    @Override
    public String toString() {
        return text;
    }
}

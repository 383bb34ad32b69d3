package io.netattach.fuzz;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A small property runner: {@code tries} inputs from a generator, each checked by a property that
 * throws on violation. Reproducible: try {@code i} of property {@code name} draws from
 * {@code new Random(seed(name) + i)}, so a failure message names the seed and the try; rerun with
 * {@code -Dfuzz.seed=N}. {@code -Dfuzz.factor=F} multiplies every property's tries (e.g. 10 for a
 * longer local run). String and byte inputs that fail are shrunk (chunks removed while the failure
 * keeps the same exception type) before being reported.
 *
 * <p>Why not jqwik: jqwik's maintainers ask that coding agents not use it, and its engine is built on
 * JUnit Platform 1.x while this build runs Platform 6 (Quarkus BOM). This runner is a plain JUnit
 * Jupiter test helper, so the fuzz suite runs in the normal surefire run.
 */
public final class Fuzz {

    /** Hang guard for one property (all its tries); a property that takes this long is looping. */
    static final Duration HANG_GUARD = Duration.ofSeconds(120);

    private Fuzz() {
    }

    /** Base seed of a property: {@code -Dfuzz.seed} when given, else derived from the name (stable across runs). */
    static long seed(String name) {
        String given = System.getProperty("fuzz.seed");
        long base = given != null && !given.isBlank() ? Long.parseLong(given.strip()) : 0x5DEECE66DL;
        return base * 31 + name.hashCode();
    }

    static int tries(int base) {
        String f = System.getProperty("fuzz.factor");
        double factor = f == null || f.isBlank() ? 1.0 : Double.parseDouble(f.strip());
        return Math.max(1, (int) Math.round(base * factor));
    }

    /**
     * Checks {@code property} on {@code tries} generated inputs; returns the number of tries run.
     * Throws an {@link AssertionError} naming the seed, the try and the (shrunk) input on the first failure.
     */
    public static <T> int forAll(String name, int tries, Function<Random, T> generator, Consumer<T> property) {
        int n = tries(tries);
        long seed = seed(name);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < n; i++) {
                T input = generator.apply(new Random(seed + i));
                Throwable failure = run(property, input);
                if (failure != null) {
                    T shrunk = shrink(input, property, failure.getClass());
                    Throwable shrunkFailure = shrunk == input ? failure : run(property, shrunk);
                    throw new AssertionError("property '" + name + "' falsified at try " + i + " of " + n
                            + " (seed " + seed + "; rerun with -Dfuzz.seed=" + System.getProperty("fuzz.seed", "<default>")
                            + "): " + shrunkFailure + "\n  input: " + describe(shrunk), shrunkFailure);
                }
            }
        }, () -> "property '" + name + "' did not finish " + n + " tries within " + HANG_GUARD + " (a hang?)");
        System.out.println("fuzz " + name + ": " + n + " tries passed (seed " + seed + ")");
        return n;
    }

    private static <T> Throwable run(Consumer<T> property, T input) {
        try {
            property.accept(input);
            return null;
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t;
            }
            return t;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T shrink(T input, Consumer<T> property, Class<?> failureType) {
        if (input instanceof String s) {
            List<Integer> cps = s.chars().boxed().toList();
            List<Integer> min = shrinkList(new ArrayList<>(cps), l -> {
                Throwable t = run(property, (T) toString(l));
                return t != null && t.getClass() == failureType;
            });
            return (T) toString(min);
        }
        if (input instanceof byte[] b) {
            List<Integer> bytes = new ArrayList<>();
            for (byte x : b) {
                bytes.add((int) x);
            }
            List<Integer> min = shrinkList(bytes, l -> {
                Throwable t = run(property, (T) toBytes(l));
                return t != null && t.getClass() == failureType;
            });
            return (T) toBytes(min);
        }
        return input;
    }

    /** Delta debugging light: remove chunks of halving size while the input still fails; bounded steps. */
    private static List<Integer> shrinkList(List<Integer> input, java.util.function.Predicate<List<Integer>> fails) {
        List<Integer> current = input;
        int budget = 400;
        for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && budget > 0; chunk /= 2) {
            boolean progress = true;
            while (progress && budget > 0) {
                progress = false;
                for (int start = 0; start + chunk <= current.size() && budget > 0; start += chunk) {
                    List<Integer> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(start + chunk, current.size()));
                    budget--;
                    if (fails.test(candidate)) {
                        current = candidate;
                        progress = true;
                        break;
                    }
                }
            }
        }
        return current;
    }

    private static String toString(List<Integer> chars) {
        StringBuilder sb = new StringBuilder(chars.size());
        chars.forEach(c -> sb.append((char) c.intValue()));
        return sb.toString();
    }

    private static byte[] toBytes(List<Integer> bytes) {
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes.get(i).intValue();
        }
        return b;
    }

    static String describe(Object input) {
        String text;
        if (input instanceof byte[] b) {
            text = b.length + " bytes " + java.util.HexFormat.of().formatHex(b, 0, Math.min(b.length, 512));
        } else if (input instanceof String s) {
            text = s.length() + " chars " + io.netattach.cni.Json.quote(s.length() > 2000 ? s.substring(0, 2000) + "..." : s);
        } else if (input instanceof Object[] a) {
            text = Arrays.deepToString(a);
        } else {
            text = String.valueOf(input);
        }
        return text.length() > 4000 ? text.substring(0, 4000) + "..." : text;
    }
}

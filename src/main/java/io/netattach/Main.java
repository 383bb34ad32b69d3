package io.netattach;

import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The single entry point of netattach ({@code java -jar target/quarkus-app/quarkus-run.jar}).
 *
 * <p>This one class is compiled as Java 17 bytecode (a separate compiler execution in the pom, like
 * Quarkus' own runner classes): on a JDK older than 25 it loads, and says in one line that JDK 25 is
 * needed, instead of an {@code UnsupportedClassVersionError} stack trace. Everything else is in
 * {@link Launcher}, reached only after that check. Keep this class free of any newer language feature
 * and of references to other netattach classes besides {@code Launcher}.
 */
@QuarkusMain
public final class Main {

    /** The Java feature release netattach is built for. */
    public static final int REQUIRED_JAVA = 25;

    private Main() {
    }

    public static void main(String... args) {
        String problem = javaProblem(Runtime.version().feature(), String.valueOf(Runtime.version()), System.getProperty("java.home"));
        if (problem != null) {
            System.err.println(problem);
            System.exit(1);
            return;
        }
        Launcher.main(args);
    }

    /** The one-line message for a JVM of feature release {@code feature}, or null when it is recent enough. */
    static String javaProblem(int feature, String version, String javaHome) {
        if (feature >= REQUIRED_JAVA) {
            return null;
        }
        return "netattach needs Java " + REQUIRED_JAVA + " or newer (JDK " + REQUIRED_JAVA + "), but runs on Java " + version
                + " from " + javaHome + "; run it with a JDK " + REQUIRED_JAVA + " java";
    }
}

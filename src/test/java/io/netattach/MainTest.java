package io.netattach;

import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The entry point loads on Java 17 and refuses anything older than 25 in one line. */
class MainTest {

    @Test
    void olderJavaGetsOneLineNamingTheVersions() {
        assertEquals("netattach needs Java 25 or newer (JDK 25), but runs on Java 17.0.15+6 from /usr/lib/jvm/java-17;"
                + " run it with a JDK 25 java", Main.javaProblem(17, "17.0.15+6", "/usr/lib/jvm/java-17"));
        assertEquals(1, Main.javaProblem(24, "24", "/x").lines().count());
        assertNull(Main.javaProblem(25, "25.0.1", "/x"));
        assertNull(Main.javaProblem(26, "26", "/x"));
    }

    @Test
    void mainIsJava17BytecodeAndTheRestIsNot() throws IOException {
        assertEquals(61, majorVersion(Main.class), "Main must load on Java 17 (class file 61)");
        assertEquals(69, majorVersion(Launcher.class), "the rest is Java 25 (class file 69)");
    }

    private static int majorVersion(Class<?> type) throws IOException {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".class");
             DataInputStream data = new DataInputStream(in)) {
            data.readInt(); // magic
            data.readUnsignedShort(); // minor
            return data.readUnsignedShort();
        }
    }
}

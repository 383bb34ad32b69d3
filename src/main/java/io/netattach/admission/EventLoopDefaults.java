package io.netattach.admission;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;

/**
 * Default number of Vert.x event loops: one per CPU available to the JVM (Quarkus' own default is two
 * per CPU). {@link Runtime#availableProcessors()} follows the container's CPU limit and the process's
 * CPU affinity, so a webhook with a 1-CPU limit runs one event loop: on one core a second loop only
 * adds a thread switch per review and memory. The ordinal is below application.properties (250),
 * environment variables (300) and system properties (400): {@code QUARKUS_VERTX_EVENT_LOOPS_POOL_SIZE}
 * still overrides it. Registered in {@code META-INF/services/org.eclipse.microprofile.config.spi.ConfigSource}.
 */
public final class EventLoopDefaults implements ConfigSource {

    /** The Quarkus property this source gives a default to. */
    public static final String EVENT_LOOPS = "quarkus.vertx.event-loops-pool-size";

    static final int ORDINAL = 150;

    private final Map<String, String> properties =
            Map.of(EVENT_LOOPS, Integer.toString(Math.max(1, Runtime.getRuntime().availableProcessors())));

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "netattach event loops per CPU";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}

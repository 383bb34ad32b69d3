package io.netattach.admission;

import io.netty.channel.MultithreadEventLoopGroup;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server runs one Vert.x event loop per available CPU (Quarkus alone would run two per CPU). */
@QuarkusTest
class EventLoopDefaultsTest {

    @Inject
    Vertx vertx;

    @Test
    void oneEventLoopPerAvailableCpu() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assertEquals(cpus, ConfigProvider.getConfig().getValue(EventLoopDefaults.EVENT_LOOPS, Integer.class));
        MultithreadEventLoopGroup loops = (MultithreadEventLoopGroup) ((VertxInternal) vertx).getEventLoopGroup();
        assertEquals(cpus, loops.executorCount());
    }

    @Test
    void applicationPropertiesEnvironmentAndSystemPropertiesOverrideIt() {
        assertTrue(new EventLoopDefaults().getOrdinal() < 250, "below application.properties");
        assertEquals(Integer.toString(Runtime.getRuntime().availableProcessors()),
                new EventLoopDefaults().getValue(EventLoopDefaults.EVENT_LOOPS));
    }
}

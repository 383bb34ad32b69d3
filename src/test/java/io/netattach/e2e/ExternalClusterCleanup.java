package io.netattach.e2e;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * On an external cluster, deletes what the run created when the test session closes, while the test JVM's
 * output still reaches the build log (the JVM shutdown hook stays as a fallback). Registered in
 * {@code META-INF/services}; does nothing with the suite's own control plane, which stops at JVM exit.
 */
public final class ExternalClusterCleanup implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Cluster.stopExternal();
    }
}

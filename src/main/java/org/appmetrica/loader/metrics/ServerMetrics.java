package org.appmetrica.loader.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.appmetrica.loader.coordination.Coordination;

/**
 * In the WAR: when WildFly's micrometer subsystem gives the deployment a MeterRegistry, the loader's meters go there
 * and the server exports them (e.g. its Prometheus registry on the management interface). Standalone (Weld SE under
 * JBeret SE), or without Micrometer, nothing happens. No Micrometer type appears here, so this bean loads anyway.
 */
@ApplicationScoped
public class ServerMetrics {

    private volatile AutoCloseable attached;

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (!Coordination.installedByRunner() && LoaderMetrics.enabled()) {
            attached = ServerRegistry.attach();
        }
    }

    void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object event) throws Exception {
        AutoCloseable a = attached;
        if (a != null) {
            a.close();
        }
    }
}

package org.appmetrica.loader.admin;

import jakarta.interceptor.Interceptor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.metrics.LoaderMetrics;

/**
 * In the WAR: when WildFly's micrometer subsystem gives the deployment a MeterRegistry, the loader's meters go there
 * and the server exports them (e.g. its Prometheus registry on the management interface). Standalone (Weld SE under
 * JBeret SE), or without Micrometer, nothing happens. No Micrometer type appears here, so this bean loads anyway.
 */
@ApplicationScoped
public class ServerMetrics {

    private volatile AutoCloseable attached;

    /**
     * Late (priority): after the deployment's crash check, which must be the one to mark executions a dead server left
     * (the gauges' reads go through the console's service, which checks too, and would race it).
     */
    void start(@Observes @Initialized(ApplicationScoped.class) @Priority(Interceptor.Priority.APPLICATION + 1000) Object event) {
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

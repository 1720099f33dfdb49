package org.appmetrica.loader.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.appmetrica.loader.coordination.Coordination;

/**
 * In the WAR: builds the console's services and schedules the stored connections when the deployment starts, so that
 * they run from then on (after a server restart too), not from the first request; cancels the scheduled runs when the
 * deployment goes away (undeploy, server stop). Standalone (Weld SE under JBeret SE) the runners wire their own: nothing to do.
 */
@ApplicationScoped
public class ConsoleLifecycle {

    void start(@Observes @Initialized(ApplicationScoped.class) Object event) {
        if (!Coordination.installedByRunner()) {
            ConsoleApplication.deploymentServices();
        }
    }

    void stop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        ConsoleApplication.shutdown();
    }
}

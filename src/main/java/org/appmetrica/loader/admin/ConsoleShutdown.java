package org.appmetrica.loader.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Destroyed;
import jakarta.enterprise.event.Observes;

/** In the WAR: cancels the regular loads the console started when the deployment goes away (undeploy, server stop). */
@ApplicationScoped
public class ConsoleShutdown {

    void stop(@Observes @Destroyed(ApplicationScoped.class) Object event) {
        ConsoleApplication.shutdown();
    }
}

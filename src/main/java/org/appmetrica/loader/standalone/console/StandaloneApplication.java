package org.appmetrica.loader.standalone.console;

import org.appmetrica.loader.admin.ConsoleApplication;
import org.appmetrica.loader.admin.ConsoleServices;
import org.appmetrica.loader.metrics.PrometheusMeters;
import org.appmetrica.loader.admin.RepositoryGauges;

import java.time.Clock;
import java.util.Set;

/**
 * The WAR's admin application with what only the standalone console needs: its own login (no container here), the
 * Host check and the page redirect, the body limit, and /metrics. The other routes are the WAR's.
 */
final class StandaloneApplication extends ConsoleApplication {

    private final ConsoleServices services;
    private final Set<Object> singletons;

    StandaloneApplication(ConsoleServices services, Logins logins, FrontDoor frontDoor, String metricsToken) {
        this.services = services;
        this.singletons = Set.of(frontDoor, new Authentication(logins, metricsToken), new BodyLimit(), new LoginResource(logins),
                new MetricsResource(new RepositoryGauges(services.queries(), PrometheusMeters.registry(), Clock.systemUTC(), true)));
    }

    @Override
    public ConsoleServices services() {
        return services;
    }

    @Override
    public Set<Object> getSingletons() {
        return singletons;
    }
}

package org.appmetrica.loader.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * Where the loader's counters go: a composite that passes them to the registries added to it, the standalone console's
 * Prometheus registry ({@link PrometheusMeters}); in WildFly they go to the server's (admin.ServerMetrics). With none added (a {@code run}),
 * counting costs next to nothing. Only used when Micrometer is on the class path ({@link LoaderMetrics#enabled()}).
 */
public final class Meters {

    private static final CompositeMeterRegistry ROOT = new CompositeMeterRegistry();
    /** WildFly's registry for this deployment, or null. It exports only what its convenience methods register. */
    private static volatile MeterRegistry server;

    private Meters() {
    }

    public static MeterRegistry root() {
        return ROOT;
    }

    /** Meters counted so far, and from now on, also go to {@code registry}. */
    public static void add(MeterRegistry registry) {
        ROOT.add(registry);
    }

    /**
     * Counters go to WildFly's deployment registry from now on (null: no longer). Its builder registrations stay in the
     * deployment and are not exported, so it is fed through {@code counter(name, tags)} instead, without descriptions.
     */
    public static void server(MeterRegistry registry) {
        server = registry;
    }

    static Counter counter(String name, String description, String tag, String value) {
        MeterRegistry s = server;
        return s != null ? s.counter(name, tag, value) : Counter.builder(name).description(description).tag(tag, value).register(ROOT);
    }
}

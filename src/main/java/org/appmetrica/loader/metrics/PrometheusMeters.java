package org.appmetrica.loader.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** This process's own Prometheus registry, for the standalone console's /metrics. */
public final class PrometheusMeters {

    private static PrometheusMeterRegistry registry;

    private PrometheusMeters() {
    }

    public static synchronized PrometheusMeterRegistry registry() {
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            Meters.add(registry);
        }
        return registry;
    }
}

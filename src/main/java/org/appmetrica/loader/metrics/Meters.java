package org.appmetrica.loader.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** This process's Prometheus registry. Only used when Micrometer is on the class path ({@link LoaderMetrics#enabled()}). */
public final class Meters {

    private static final PrometheusMeterRegistry REGISTRY = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    private Meters() {
    }

    public static PrometheusMeterRegistry registry() {
        return REGISTRY;
    }

    static Counter counter(String name, String description, String tag, String value) {
        return Counter.builder(name).description(description).tag(tag, value).register(REGISTRY);
    }
}

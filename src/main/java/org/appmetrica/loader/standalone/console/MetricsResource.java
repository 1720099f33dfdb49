package org.appmetrica.loader.standalone.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import org.appmetrica.loader.metrics.PrometheusMeters;
import org.appmetrica.loader.admin.RepositoryGauges;

import java.util.logging.Level;
import java.util.logging.Logger;

/** {@code GET /metrics}: this process's metrics in the Prometheus text format, for a console user (HTTP Basic). */
@Path("metrics")
public final class MetricsResource {

    private static final Logger LOG = Logger.getLogger(MetricsResource.class.getName());

    private final RepositoryGauges gauges;

    MetricsResource(RepositoryGauges gauges) {
        this.gauges = gauges;
    }

    @GET
    @Produces("text/plain; version=0.0.4; charset=utf-8")
    public String scrape() {
        try {
            gauges.refresh();
        } catch (RuntimeException e) {
            // the counters are still worth serving; the gauges keep their last values
            LOG.log(Level.WARNING, "metrics: reading the job repository failed: " + e.getMessage(), e);
        }
        return PrometheusMeters.registry().scrape();
    }
}

package org.appmetrica.loader.admin;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.spi.CDI;
import org.appmetrica.loader.metrics.Meters;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** The deployment's MeterRegistry from WildFly's micrometer subsystem, fed by the loader; see {@link ServerMetrics}. */
final class ServerRegistry {

    private static final Logger LOG = Logger.getLogger(ServerRegistry.class.getName());
    /** The server scrapes without telling the application: the repository's gauges are read this often. */
    static final long REFRESH_SECONDS = 10;

    private ServerRegistry() {
    }

    /** What to close when the deployment goes away, or null when the server gives no registry. */
    static AutoCloseable attach() {
        Instance<MeterRegistry> registries = CDI.current().select(MeterRegistry.class);
        if (!registries.isResolvable()) {
            LOG.info("metrics: the server gives this deployment no MeterRegistry (micrometer subsystem): not exported");
            return null;
        }
        MeterRegistry registry = registries.get();
        Meters.server(registry);
        ScheduledExecutorService executor;
        try {
            executor = (ScheduledExecutorService) new InitialContext().lookup("java:comp/DefaultManagedScheduledExecutorService");
        } catch (NamingException e) {
            LOG.warning("metrics: no managed scheduled executor, the gauges of the job repository are not exported: " + e.getMessage());
            return () -> Meters.server(null);
        }
        RepositoryGauges gauges = new RepositoryGauges(new ExecutionQueries(BatchRuntime::getJobOperator), registry,
                Clock.systemUTC(), false);
        ScheduledFuture<?> refresh = executor.scheduleWithFixedDelay(() -> {
            try {
                gauges.refresh();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                // whatever a run throws ends a fixed-delay schedule silently: only the JVM's own failures may
                LOG.log(Level.WARNING, "metrics: reading the job repository failed: " + e, e);
            }
        }, 0, REFRESH_SECONDS, TimeUnit.SECONDS);
        LOG.info("metrics: exported through the server's MeterRegistry (gauges read every " + REFRESH_SECONDS + " s)");
        return () -> {
            refresh.cancel(false);
            Meters.server(null);
        };
    }
}

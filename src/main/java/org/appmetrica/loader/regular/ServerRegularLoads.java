package org.appmetrica.loader.regular;

import jakarta.annotation.PreDestroy;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Regular loads inside an application server: when the system property {@code appmetrica.regular.dir} names a
 * directory, every {@code *.properties} definition in it runs on the server's managed scheduled executor — once at
 * deployment (catching up what a stopped server missed), then at each scheduled time, one run at a time per
 * definition. Does nothing without that property (the standalone runner uses the {@code schedule} command instead).
 */
@ApplicationScoped
public class ServerRegularLoads {

    private static final Logger LOG = Logger.getLogger(ServerRegularLoads.class.getName());
    static final String DIRECTORY_PROPERTY = "appmetrica.regular.dir";

    private final List<Future<?>> timers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    void start(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        String dir = System.getProperty(DIRECTORY_PROPERTY);
        if (dir == null || dir.isBlank()) {
            return;
        }
        ScheduledExecutorService executor;
        try {
            executor = (ScheduledExecutorService) new InitialContext().lookup("java:comp/DefaultManagedScheduledExecutorService");
        } catch (NamingException e) {
            LOG.warning("regular loads in " + dir + " not scheduled: no managed scheduled executor (" + e.getMessage() + ")");
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir), "*.properties")) {
            for (Path file : files) {
                RegularLoadDefinition definition = load(file);
                timers.add(executor.schedule(() -> runAndReschedule(executor, definition), 0, TimeUnit.SECONDS));
                LOG.info("regular load " + definition.name() + " scheduled from " + file);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "regular loads in " + dir + " not scheduled: " + e.getMessage(), e);
        }
    }

    private static RegularLoadDefinition load(Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        return RegularLoadDefinition.parse(p);
    }

    /** Runs on the executor, so one definition never runs twice at once: the next run is scheduled after this one. */
    private void runAndReschedule(ScheduledExecutorService executor, RegularLoadDefinition definition) {
        Clock clock = Clock.systemUTC();
        try {
            new RegularLoadRunner(BatchRuntime.getJobOperator(), clock).runOnce(definition);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "regular load " + definition.name() + " failed: " + e.getMessage(), e);
        }
        if (!stopped) {
            ZonedDateTime next = definition.schedule().next(ZonedDateTime.now(clock));
            long delay = Math.max(0, Duration.between(ZonedDateTime.now(clock), next).toMillis());
            timers.add(executor.schedule(() -> runAndReschedule(executor, definition), delay, TimeUnit.MILLISECONDS));
        }
    }

    @PreDestroy
    void stop() {
        stopped = true;
        timers.forEach(t -> t.cancel(false));
    }
}

package org.appmetrica.loader.admin;

import jakarta.annotation.PreDestroy;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.appmetrica.loader.connection.ConnectionFile;
import org.appmetrica.loader.regular.RegularLoadDefinition;
import org.appmetrica.loader.regular.Scheduler;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Regular loads inside an application server: when the system property {@code appmetrica.regular.dir} names a
 * directory, every {@code *.properties} definition in it (read as a regular connection, {@link ConnectionFile}) runs on the server's managed scheduled executor — once at
 * deployment (catching up what a stopped server missed), then at each scheduled time, one run at a time per
 * definition. Does nothing without that property (the standalone runner uses the {@code schedule} command instead).
 */
@ApplicationScoped
public class ServerRegularLoads {

    private static final Logger LOG = Logger.getLogger(ServerRegularLoads.class.getName());
    static final String DIRECTORY_PROPERTY = "appmetrica.regular.dir";

    private volatile Scheduler scheduler;

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
        Scheduler s = new Scheduler(BatchRuntime::getJobOperator, LoadLauncher.unattended(BatchRuntime::getJobOperator)::start, executor,
                Clock.systemUTC(), LOG::info);
        scheduler = s;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir), "*.properties")) {
            for (Path file : files) {
                RegularLoadDefinition definition = load(file);
                if (s.add(definition).isPresent()) {
                    LOG.info("regular load " + definition.name() + " scheduled from " + file);
                } else {
                    LOG.warning("regular load " + definition.name() + " in " + file + " not scheduled: another file defines that name");
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "regular loads in " + dir + " not scheduled: " + e.getMessage(), e);
        }
    }

    private static RegularLoadDefinition load(Path file) throws IOException {
        return ConnectionFile.read(file).validated().definition(new Properties());
    }

    @PreDestroy
    void stop() {
        Scheduler s = scheduler;
        if (s != null) {
            s.shutdown();
        }
    }
}

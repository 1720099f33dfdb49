package org.appmetrica.loader.standalone;

import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.JdbcCoordinationStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;

/**
 * Points JBeret SE at the job repository: writes {@code jberet.properties} (from the template in
 * server-config/standalone) into a configuration directory and makes that directory visible through the thread
 * context class loader, where JBeret SE looks for its configuration. Call before the first BatchRuntime use.
 */
public final class StandaloneRuntime {

    private StandaloneRuntime() {
    }

    public static void configure(Path confDir, String repositoryUrl) {
        try (InputStream in = StandaloneRuntime.class.getResourceAsStream("/standalone/jberet.properties")) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource /standalone/jberet.properties");
            }
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Files.createDirectories(confDir);
            Files.writeString(confDir.resolve("jberet.properties"), template.replace("@REPOSITORY_URL@", repositoryUrl));
            System.setProperty("h2.bindAddress", "127.0.0.1");
            RepositoryDriver.register();
            // Execution owners and slice leases live beside JBeret's tables, in the same database.
            String password = System.getenv().getOrDefault("APPMETRICA_REPOSITORY_PASSWORD", "");
            Coordination.use(new JdbcCoordinationStore(() -> DriverManager.getConnection(repositoryUrl, "sa", password)));
            ClassLoader parent = Thread.currentThread().getContextClassLoader();
            URLClassLoader loader = new URLClassLoader(new URL[] {confDir.toUri().toURL()}, parent);
            Thread.currentThread().setContextClassLoader(loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default repository: an H2 file under the data directory, shareable between processes on this machine. */
    public static String defaultRepositoryUrl(Path dataDir) {
        // WRITE_DELAY=0: every commit reaches the file at once, so a killed process loses no checkpoint it committed.
        // AUTO_RECONNECT: a connection whose serving process died switches to the process that takes the file over.
        // FILE_LOCK=SOCKET: the lock is the serving process's listening socket, so it is free the moment that process
        // dies. The default (a lock file its owner rewrites every second, free when 2 s old) made processes that came
        // and went within seconds fail for a minute with "Lock file recently modified".
        return RepositoryDriver.PREFIX + "h2:file:" + dataDir.toAbsolutePath().resolve("job-repository")
                + ";AUTO_SERVER=TRUE;AUTO_RECONNECT=TRUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0;FILE_LOCK=SOCKET";
    }
}

package org.appmetrica.loader.standalone;

import org.appmetrica.loader.config.PrivateFiles;
import org.appmetrica.loader.coordination.Coordination;
import org.appmetrica.loader.coordination.JdbcCoordinationStore;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

    static final String WELD_XML_VALIDATION_OFF = "org.jboss.weld.xml.disableValidating";
    private static volatile JdbcCoordinationStore.ConnectionFactory repository;

    private StandaloneRuntime() {
    }

    /** Connections to the job repository's database (after {@link #configure}): the product's own tables live there too. */
    public static JdbcCoordinationStore.ConnectionFactory repositoryConnections() {
        JdbcCoordinationStore.ConnectionFactory r = repository;
        if (r == null) {
            throw new IllegalStateException("the job repository is not configured yet");
        }
        return r;
    }

    /**
     * @param dataDir       the data directory: made (or tightened to) mode 700, as it holds the repository, its password
     *                      and the spooled raw data
     * @param repositoryUrl another repository database, or null for the H2 file in the data directory
     */
    public static void configure(Path dataDir, String repositoryUrl) {
        try (InputStream in = StandaloneRuntime.class.getResourceAsStream("/standalone/jberet.properties")) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource /standalone/jberet.properties");
            }
            try {
                PrivateFiles.ownDirectory(dataDir, true, "use a data directory of your own (--data-dir)");
            } catch (IOException e) {
                throw new IllegalArgumentException("the data directory: " + e.getMessage(), e); // a bad argument: exit code 2
            }
            boolean defaultUrl = repositoryUrl == null;
            String url = defaultUrl ? defaultRepositoryUrl(dataDir) : repositoryUrl;
            System.setProperty("h2.bindAddress", "127.0.0.1");
            // Weld would validate the jar's own beans.xml against its schema at every start (the JDK's XSD compiler: CPU
            // on the start's critical path); the WAR's deployment still validates it
            if (System.getProperty(WELD_XML_VALIDATION_OFF) == null) {
                System.setProperty(WELD_XML_VALIDATION_OFF, "true");
            }
            RepositoryDriver.register();
            String password = RepositoryPassword.of(dataDir, url, defaultUrl);
            String user = RepositoryPassword.user(defaultUrl);
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Path confDir = dataDir.resolve("conf");
            Files.createDirectories(confDir);
            Path conf = confDir.resolve("jberet.properties");
            try (OutputStream out = PrivateFiles.create(conf)) { // made again, readable by this user only: it holds the password
                out.write(template.replace("@REPOSITORY_URL@", url).replace("@REPOSITORY_USER@", propertiesEscaped(user)).replace("@REPOSITORY_PASSWORD@", propertiesEscaped(password))
                        .getBytes(StandardCharsets.UTF_8));
            }
            // Execution owners and slice leases live beside JBeret's tables, in the same database.
            repository = () -> DriverManager.getConnection(url, user, password);
            Coordination.use(new JdbcCoordinationStore(repository));
            ClassLoader parent = Thread.currentThread().getContextClassLoader();
            URLClassLoader loader = new URLClassLoader(new URL[] {confDir.toUri().toURL()}, parent);
            Thread.currentThread().setContextClassLoader(loader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String propertiesEscaped(String value) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || (i == 0 && c == ' ')) {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
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

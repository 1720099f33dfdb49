package org.appmetrica.loader.admin;

import jakarta.batch.runtime.BatchRuntime;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.appmetrica.loader.regular.Scheduler;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The admin console: the REST API under {@code /api} ({@link AdminResource}) and the page under {@code /console/}
 * ({@link ConsoleResource}). In the WAR both are behind the container's authentication (WEB-INF/web.xml: BASIC, role
 * {@code appmetrica-admin}); the standalone console serves a subclass that adds its own login and checks. In both,
 * {@link LoginRequired} refuses every matched resource method that is not {@link Public} to a request without a user.
 * Lists its classes, so that other JAX-RS applications of the WAR stay separate.
 */
@ApplicationPath("/")
public class ConsoleApplication extends Application {

    private static final Logger LOG = Logger.getLogger(ConsoleApplication.class.getName());
    private static final Logger PROGRESS = Logger.getLogger("org.appmetrica.loader.progress");
    private static volatile ConsoleServices deployment;

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(AdminResource.class, ConsoleResource.class, AdminExceptionMapper.class, LoginRequired.class, BodyType.class);
    }

    /** The services the resources use; the standalone console's subclass brings its own. */
    public ConsoleServices services() {
        return deploymentServices();
    }

    /**
     * The deployment's services over its JobOperator (in WildFly, BatchRuntime's operator is the calling deployment's),
     * built once; the stored connections are scheduled then.
     */
    static ConsoleServices deploymentServices() {
        ConsoleServices s = deployment;
        if (s == null) {
            synchronized (ConsoleApplication.class) {
                s = deployment;
                if (s == null) {
                    ConnectionService connections = ServerConnections.find(new Properties()).orElse(null);
                    s = ConsoleServices.of(BatchRuntime::getJobOperator, new ConsoleServices.Setup(new Properties(), policy(), () -> { },
                            null, System.getProperty("appmetrica.oauth.clientId"), connections, connections == null ? null : scheduler()));
                    s.scheduleConnections();
                    deployment = s;
                }
            }
        }
        return s;
    }

    /**
     * The operator's allow-lists, from server system properties (comma-separated): {@code appmetrica.allow.apiUrls},
     * {@code appmetrica.allow.clickhouse}, {@code appmetrica.allow.tokenRefs}, {@code appmetrica.allow.clickhousePasswordRefs},
     * {@code appmetrica.allow.spoolDirs} ({@code appmetrica.allow.secrets}: deprecated, both roles). The credential-store
     * aliases that configure.cli creates are always allowed, each in its own role; loads that write through a datasource (clickhouseDataSource) use the
     * server's own configuration.
     */
    static AccessPolicy policy() {
        List<String> tokens = new ArrayList<>(List.of("cs:appmetrica/appmetrica-token"));
        tokens.addAll(list("appmetrica.allow.tokenRefs"));
        List<String> passwords = new ArrayList<>(List.of("cs:appmetrica/clickhouse-password"));
        passwords.addAll(list("appmetrica.allow.clickhousePasswordRefs"));
        List<String> roleless = list("appmetrica.allow.secrets");
        if (!roleless.isEmpty()) {
            LOG.warning("appmetrica.allow.secrets is deprecated: it allows a reference as a token and as a ClickHouse password; "
                    + "use appmetrica.allow.tokenRefs or appmetrica.allow.clickhousePasswordRefs");
            tokens.addAll(roleless);
            passwords.addAll(roleless);
        }
        return AccessPolicy.of(list("appmetrica.allow.apiUrls"), list("appmetrica.allow.clickhouse"), tokens, passwords)
                .withSpoolDirs(list("appmetrica.allow.spoolDirs"));
    }

    private static List<String> list(String property) {
        String v = System.getProperty(property, "");
        return Arrays.stream(v.split(",")).map(String::trim).filter(x -> !x.isEmpty()).toList();
    }

    /** Cancels the scheduled runs of the connections (see ConsoleLifecycle). */
    static void shutdown() {
        ConsoleServices s = deployment;
        if (s != null) {
            s.shutdown();
        }
    }

    /** A scheduler for the connections on the server's default managed scheduled executor, if it has one. */
    private static Scheduler scheduler() {
        try {
            Object executor = new InitialContext().lookup("java:comp/DefaultManagedScheduledExecutorService");
            if (executor instanceof ScheduledExecutorService e) {
                return new Scheduler(BatchRuntime::getJobOperator, LoadLauncher.unattended(BatchRuntime::getJobOperator)::start, e, Clock.systemUTC(), line -> PROGRESS.info(SecretMask.text(line)));
            }
        } catch (NamingException | RuntimeException e) {
            LOG.log(Level.FINE, "no managed executor: connections are not run by this deployment", e);
        }
        return null;
    }
}

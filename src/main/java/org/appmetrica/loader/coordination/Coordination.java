package org.appmetrica.loader.coordination;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.transaction.TransactionManager;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;

/**
 * The process-wide entry point: which store this process uses, whether a process is alive, and the heartbeat that
 * vouches for this process to processes on other hosts.
 * <p>Standalone, the CLI installs a store over the H2 job repository before the first job runs. In an application
 * server the store is looked up once: the datasource named by system property {@value #DATASOURCE_PROPERTY} (default
 * {@value #DEFAULT_DATASOURCE}, the one configure.cli gives the batch job repository), or an in-memory store when there
 * is none (the job repository is then in memory too). There every store call runs outside the caller's JTA transaction
 * (see {@link OutsideTransactionStore}).
 */
public final class Coordination {

    public static final String DATASOURCE_PROPERTY = "appmetrica.coordination.datasource";
    public static final String DEFAULT_DATASOURCE = "java:jboss/datasources/AppMetricaBatchDS";
    /** Where WildFly binds its JTA TransactionManager (the first name; the second is the older alias). */
    static final String[] TRANSACTION_MANAGERS = {"java:jboss/TransactionManager", "java:/TransactionManager"};
    /** A process of another host counts as gone once its heartbeat is this old (by default; see {@link #heartbeat}). */
    public static final Duration HEARTBEAT_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(20);
    private static volatile Duration heartbeatTimeout = HEARTBEAT_TIMEOUT;
    private static volatile Duration heartbeatEvery = HEARTBEAT_EVERY;
    private static final Set<BatchStatus> UNFINISHED = EnumSet.of(BatchStatus.STARTING, BatchStatus.STARTED, BatchStatus.STOPPING);
    private static final Logger LOG = Logger.getLogger(Coordination.class.getName());

    private static volatile CoordinationStore store;
    private static volatile boolean installed;
    private static ScheduledExecutorService heartbeat;

    private Coordination() {
    }

    /** Installs the store of this process (standalone: over the job repository's database). */
    public static synchronized void use(CoordinationStore newStore) {
        store = newStore;
        installed = true;
    }

    /**
     * True when a runner of this process (the standalone CLI or console) installed the store with {@link #use}; false
     * in an application server, where the store is looked up on first use.
     */
    public static boolean installedByRunner() {
        return installed;
    }

    public static CoordinationStore store() {
        CoordinationStore s = store;
        if (s == null) {
            synchronized (Coordination.class) {
                if (store == null) {
                    store = lookUp();
                }
                s = store;
            }
        }
        return s;
    }

    /** In an application server: the JNDI name of the job repository's datasource (see {@link #DATASOURCE_PROPERTY}). */
    public static String serverDataSourceName() {
        return System.getProperty(DATASOURCE_PROPERTY, DEFAULT_DATASOURCE);
    }

    /** In an application server: the job repository's datasource, or empty when the server defines none. */
    public static Optional<DataSource> serverDataSource() {
        try {
            return Optional.of((DataSource) new InitialContext().lookup(serverDataSourceName()));
        } catch (NamingException | ClassCastException e) {
            LOG.log(Level.FINE, "no datasource " + serverDataSourceName(), e);
            return Optional.empty();
        }
    }

    private static CoordinationStore lookUp() {
        String name = serverDataSourceName();
        Optional<DataSource> found = serverDataSource();
        if (found.isEmpty()) {
            LOG.info("no datasource " + name + ": slice leases and execution owners are kept in memory, as the job repository is");
            return new InMemoryCoordinationStore();
        }
        DataSource dataSource = found.get();
        CoordinationStore jdbc = new JdbcCoordinationStore(dataSource::getConnection);
        TransactionManager transactions = transactionManager();
        if (transactions == null) {
            LOG.warning("slice leases and execution owners are kept in " + name + ", but no JTA TransactionManager was found under "
                    + String.join(" or ", TRANSACTION_MANAGERS) + ": their writes join whatever transaction the caller has");
            return jdbc;
        }
        LOG.info("slice leases and execution owners are kept in " + name + " (JDBC, outside the batch runtime's JTA transactions)");
        return new OutsideTransactionStore(jdbc, transactions);
    }

    private static TransactionManager transactionManager() {
        for (String name : TRANSACTION_MANAGERS) {
            try {
                if (new InitialContext().lookup(name) instanceof TransactionManager tm) {
                    return tm;
                }
            } catch (NamingException e) {
                // try the next name
            }
        }
        return null;
    }

    /**
     * Job parameter naming the process that starts or restarts an execution. It is stored with the execution's row in
     * the same insert, so an execution killed before its owner record was written is still known to be this process's.
     */
    public static final String OWNER_PARAMETER = "appmetrica.ownerProcess";

    /** The parameters of a start or restart by this process: {@code parameters} plus {@link #OWNER_PARAMETER}. */
    public static Properties ownedParameters(Properties parameters) {
        Properties p = new Properties();
        p.putAll(parameters);
        p.setProperty(OWNER_PARAMETER, ProcessIdentity.current().encode());
        return p;
    }

    /** A load's own parameters: without those the runtime (jberet.jobXmlName) or {@link #ownedParameters} adds. */
    public static Properties loadParameters(Properties all) {
        Properties p = new Properties();
        for (String k : all.stringPropertyNames()) {
            if (!k.startsWith("jberet.") && !k.equals(OWNER_PARAMETER)) {
                p.setProperty(k, all.getProperty(k));
            }
        }
        return p;
    }

    /** Records that this process runs the execution, and keeps this process's heartbeat going. */
    public static void ownedByThisProcess(long executionId) {
        store().recordOwner(executionId, ProcessIdentity.current());
        startHeartbeat();
    }

    /**
     * Sets how often this process records its heartbeat and how old another host's may get before that host counts as
     * gone (standalone {@code --heartbeat-interval}, {@code --heartbeat-timeout}); the timeout must be longer than the
     * interval, and every host sharing a repository should use the same values.
     */
    public static void heartbeat(Duration every, Duration timeout) {
        if (every.isNegative() || every.isZero() || timeout.compareTo(every.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("the heartbeat timeout (" + timeout.toSeconds() + " s) must be at least twice its interval ("
                    + every.toSeconds() + " s)");
        }
        heartbeatEvery = every;
        heartbeatTimeout = timeout;
    }

    public static Duration heartbeatEvery() {
        return heartbeatEvery;
    }

    public static Duration heartbeatTimeout() {
        return heartbeatTimeout;
    }

    /** Alive as the operating system says (same host), or by a heartbeat younger than {@link #heartbeatTimeout()}. */
    public static boolean isAlive(ProcessIdentity process) {
        return isAlive(process, Instant.EPOCH);
    }

    /**
     * As {@link #isAlive(ProcessIdentity)}, for a process known to have been alive at {@code seenAt} (when it wrote its
     * execution's row): a process of another host that has not written its first heartbeat yet counts as alive until
     * that moment is older than the timeout.
     */
    public static boolean isAlive(ProcessIdentity process, Instant seenAt) {
        Optional<Boolean> local = process.aliveOnThisHost();
        if (local.isPresent()) {
            return local.get();
        }
        Instant last = store().lastHeartbeat(process).filter(t -> t.isAfter(seenAt)).orElse(seenAt);
        return last.isAfter(Instant.now().minus(heartbeatTimeout));
    }

    /** True when the repository says the execution is STARTING, STARTED or STOPPING (or cannot say). */
    static boolean unfinished(long executionId) {
        Optional<String> stored = store().executionStatus(executionId);
        if (stored.isPresent()) {
            return UNFINISHED.contains(BatchStatus.valueOf(stored.get()));
        }
        try { // an in-memory repository: this process's runtime knows
            return UNFINISHED.contains(BatchRuntime.getJobOperator().getJobExecution(executionId).getBatchStatus());
        } catch (NoSuchJobExecutionException e) {
            return false;
        }
    }

    /** Keeps this process's heartbeat going from now on (a process that may take over other hosts' executions). */
    public static void keepAlive() {
        store().heartbeat(ProcessIdentity.current(), Instant.now());
        startHeartbeat();
    }

    private static synchronized void startHeartbeat() {
        if (heartbeat != null) {
            return;
        }
        heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "appmetrica-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleWithFixedDelay(() -> {
            try {
                store().heartbeat(ProcessIdentity.current(), Instant.now());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "heartbeat not recorded: " + e.getMessage(), e);
            }
        }, heartbeatEvery.toMillis(), heartbeatEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends this process's heartbeat (the deployment that started it is going away); a later execution starts it again. */
    public static synchronized void stopHeartbeat() {
        if (heartbeat != null) {
            // shutdown, not shutdownNow: a thread interrupted inside the embedded H2 closes the database for every process
            heartbeat.shutdown();
            heartbeat = null;
        }
    }
}

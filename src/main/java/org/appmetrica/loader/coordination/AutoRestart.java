package org.appmetrica.loader.coordination;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code autoRestart=N} policy of a long-running process ({@code schedule}, {@code console}): at start-up and then
 * every heartbeat interval it marks the executions whose process is gone as crashed ({@link CrashedExecutions}; a
 * process of another host is gone once its heartbeat is older than the timeout) and restarts each crashed execution
 * whose job parameter {@value #PARAMETER} allows it, at most N times per job instance, waiting interval × 2^(k-1) after
 * the k-th crash. One process restarts a given execution: the one whose claim row it inserted (or took over from a
 * claimer that is gone itself). An execution of a live process is never touched. The restart itself is admin.LoadLauncher's
 * (passed in as a {@link Restarter}): the same checks and owner stamp as a restart by hand.
 */
public final class AutoRestart {

    public static final String PARAMETER = "autoRestart";
    /** For the loads of connections and regular loads, unless their parameters say otherwise. */
    public static final int CONNECTION_DEFAULT = 3;
    static final int MAX = 100;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(30);
    private static final Logger LOG = Logger.getLogger("org.appmetrica.loader.progress");
    private static final String CRASHED_LATEST = "SELECT e.JOBEXECUTIONID, e.ENDTIME, e.JOBPARAMETERS, (SELECT COUNT(*) FROM JOB_EXECUTION x "
            + "WHERE x.JOBINSTANCEID = e.JOBINSTANCEID AND x.EXITSTATUS LIKE 'CRASHED: %') FROM JOB_EXECUTION e WHERE e.BATCHSTATUS = 'FAILED' "
            + "AND e.EXITSTATUS LIKE 'CRASHED: %' AND e.JOBEXECUTIONID = (SELECT MAX(y.JOBEXECUTIONID) FROM JOB_EXECUTION y "
            + "WHERE y.JOBINSTANCEID = e.JOBINSTANCEID) ORDER BY e.JOBEXECUTIONID";

    /** A crashed execution that is the latest of its job instance; {@code crashes} counts the instance's crashed executions. */
    record Crashed(long executionId, Instant noticed, Properties parameters, int crashes) {
    }

    /** Restarts an execution with these parameters (without the owner stamp) and returns the new execution's id. */
    @FunctionalInterface
    public interface Restarter {
        long restart(long executionId, Properties parameters);
    }

    private final RepositoryDatabase database;
    private final Restarter restarter;
    private final Set<Long> refused = ConcurrentHashMap.newKeySet();
    /** "id: message" of the restarts refused so far: each reason is logged once, not every round. */
    private final Set<String> notRestarted = ConcurrentHashMap.newKeySet();
    private volatile BiConsumer<Long, Long> restarted = (crashed, restart) -> { };

    public AutoRestart(JdbcCoordinationStore.ConnectionFactory connections, Restarter restarter) {
        this.database = new RepositoryDatabase(connections);
        this.restarter = restarter;
    }

    /** Takes the crashed execution's id and its restart's, for each restart by this process. */
    public AutoRestart onRestarted(BiConsumer<Long, Long> restarted) {
        this.restarted = restarted;
        return this;
    }

    /**
     * Checks now, on the calling thread (a lone host's start-up), then every heartbeat interval on {@code threads}. Each
     * round records this process's heartbeat first: other hosts see it alive before it judges theirs, and a heartbeat
     * newer than a moment proves a full round since (the two-host test relies on it).
     */
    public void start(ScheduledExecutorService threads) {
        beatAndCheck();
        long every = Coordination.heartbeatEvery().toMillis();
        threads.scheduleWithFixedDelay(this::beatAndCheck, every, every, TimeUnit.MILLISECONDS);
    }

    private void beatAndCheck() {
        try {
            Coordination.store().heartbeat(ProcessIdentity.current(), Instant.now());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "heartbeat not recorded: " + e.getMessage(), e);
        }
        check();
    }

    /** One round: mark what crashed, restart what is due; returns the new execution ids. Never throws. */
    public List<Long> check() {
        List<Long> started = new ArrayList<>();
        try {
            CrashedExecutions.reconcile();
            Instant now = Instant.now();
            for (Crashed c : crashedLatest()) {
                int allowed = allowed(c.parameters());
                if (c.crashes() > allowed) {
                    if (allowed > 0 && refused.add(c.executionId())) {
                        LOG.info("execution " + c.executionId() + " crashed " + c.crashes() + " times, more than autoRestart=" + allowed
                                + " allows: restart it by hand (restart " + c.executionId() + ")");
                    }
                    continue;
                }
                if (now.isBefore(c.noticed().plus(backoff(c.crashes()))) || !claim(c.executionId())) {
                    continue;
                }
                restart(c).ifPresent(started::add);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "autoRestart: the check failed, trying again in " + Coordination.heartbeatEvery().toSeconds() + " s: "
                    + e.getMessage(), e);
        }
        return started;
    }

    /** interval × 2^(k-1) after the k-th crash, at most {@link #MAX_BACKOFF}. */
    static Duration backoff(int crashes) {
        Duration d = Coordination.heartbeatEvery().multipliedBy(1L << Math.min(20, Math.max(0, crashes - 1)));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** The execution's autoRestart parameter (0 when absent or not a number from 0 to {@value #MAX}). */
    static int allowed(Properties parameters) {
        String v = parameters.getProperty(PARAMETER);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            int n = Integer.parseInt(v.trim());
            return n < 0 || n > MAX ? 0 : n;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    Optional<Long> restart(Crashed c) {
        try {
            long id = restarter.restart(c.executionId(), Coordination.loadParameters(c.parameters()));
            LOG.info("execution " + c.executionId() + " crashed (" + c.crashes() + " of autoRestart=" + allowed(c.parameters())
                    + "): restarted by this process as execution " + id);
            restarted.accept(c.executionId(), id);
            return Optional.of(id);
        } catch (RuntimeException e) {
            // another process restarted it first (not the most recent any more), or the job refuses: the next round reads again
            // (or the launcher's checks refuse its parameters: logged once per reason, tried again each round)
            if (notRestarted.add(c.executionId() + ": " + e.getMessage())) {
                LOG.log(Level.INFO, "autoRestart: execution " + c.executionId() + " not restarted: " + e.getMessage(), e);
            }
            return Optional.empty();
        }
    }

    List<Crashed> crashedLatest() {
        return database.withConnection("read crashed executions", c -> {
            List<Crashed> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CRASHED_LATEST); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp ended = rs.getTimestamp(2);
                    result.add(new Crashed(rs.getLong(1), ended == null ? Instant.EPOCH : ended.toInstant(),
                            JdbcCoordinationStore.parameters(rs.getString(3)), rs.getInt(4)));
                }
            } catch (SQLException e) {
                if (JdbcCoordinationStore.isMissingTable(e)) {
                    return List.of(); // JBeret has not made its tables yet: nothing ran
                }
                throw e;
            }
            return result;
        });
    }

    /** True when this process may restart the execution: it inserted the claim, holds it, or took it from a gone claimer. */
    boolean claim(long executionId) {
        String me = ProcessIdentity.current().encode();
        Timestamp now = Timestamp.from(Instant.now());
        try {
            database.update("INSERT INTO APPMETRICA_RESTART_CLAIM (JOBEXECUTIONID, PROCESS_KEY, CLAIMED) VALUES (?, ?, ?)", executionId, me, now);
            return true;
        } catch (CoordinationException e) {
            if (!(e.getCause() instanceof SQLException s && RepositoryDatabase.isDuplicateKey(s))) {
                throw e;
            }
        }
        String holder = database.withConnection("read restart claim", c -> {
            try (PreparedStatement ps = RepositoryDatabase.prepare(c, "SELECT PROCESS_KEY FROM APPMETRICA_RESTART_CLAIM WHERE JOBEXECUTIONID = ?",
                    executionId); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        });
        if (holder == null || holder.equals(me)) {
            return holder != null;
        }
        if (Coordination.isAlive(ProcessIdentity.decode(holder))) {
            return false; // its claimer restarts it (or tried, and the execution is no longer the latest)
        }
        return database.update("UPDATE APPMETRICA_RESTART_CLAIM SET PROCESS_KEY = ?, CLAIMED = ? WHERE JOBEXECUTIONID = ? AND PROCESS_KEY = ?",
                me, now, executionId, holder) == 1;
    }
}

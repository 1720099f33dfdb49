package org.appmetrica.loader.coordination;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The coordination tables beside JBeret's own in the job repository's database (H2 standalone, the batch datasource
 * in WildFly). Plain SQL that H2 and PostgreSQL both accept; every change of a lease is one conditional UPDATE or one
 * INSERT against a primary key, so two processes can never both win.
 */
public final class JdbcCoordinationStore implements CoordinationStore {

    /** Opens a new connection to the repository database (auto-commit). */
    @FunctionalInterface
    public interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    private static final String UNFINISHED = "('STARTING', 'STARTED', 'STOPPING')";

    private final RepositoryDatabase database;

    public JdbcCoordinationStore(ConnectionFactory connections) {
        this.database = new RepositoryDatabase(connections);
    }

    @Override
    public void recordOwner(long executionId, ProcessIdentity owner) {
        heartbeat(owner, Instant.now());
        upsert("UPDATE APPMETRICA_EXECUTION_OWNER SET PROCESS_KEY = ?, RECORDED = ? WHERE JOBEXECUTIONID = ?",
                "INSERT INTO APPMETRICA_EXECUTION_OWNER (PROCESS_KEY, RECORDED, JOBEXECUTIONID) VALUES (?, ?, ?)",
                owner.encode(), Timestamp.from(Instant.now()), executionId);
    }

    @Override
    public Optional<ProcessIdentity> owner(long executionId) {
        return queryOne("SELECT PROCESS_KEY FROM APPMETRICA_EXECUTION_OWNER WHERE JOBEXECUTIONID = ?",
                rs -> ProcessIdentity.decode(rs.getString(1)), executionId);
    }

    @Override
    public void heartbeat(ProcessIdentity process, Instant now) {
        upsert("UPDATE APPMETRICA_PROCESS SET HEARTBEAT = ? WHERE PROCESS_KEY = ?",
                "INSERT INTO APPMETRICA_PROCESS (HEARTBEAT, PROCESS_KEY) VALUES (?, ?)", Timestamp.from(now), process.encode());
    }

    @Override
    public Optional<Instant> lastHeartbeat(ProcessIdentity process) {
        return queryOne("SELECT HEARTBEAT FROM APPMETRICA_PROCESS WHERE PROCESS_KEY = ?", rs -> rs.getTimestamp(1).toInstant(),
                process.encode());
    }

    @Override
    public List<UnfinishedExecution> unfinishedExecutions() {
        String sql = "SELECT JOBEXECUTIONID, BATCHSTATUS, COALESCE(LASTUPDATEDTIME, STARTTIME, CREATETIME), JOBPARAMETERS FROM JOB_EXECUTION "
                + "WHERE BATCHSTATUS IN " + UNFINISHED + " ORDER BY JOBEXECUTIONID";
        return withConnection("read unfinished executions", c -> {
            List<UnfinishedExecution> result = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    Timestamp updated = rs.getTimestamp(3);
                    // no time at all: count it as just created, never as old
                    result.add(new UnfinishedExecution(rs.getLong(1), rs.getString(2), updated == null ? Instant.now() : updated.toInstant(),
                            starter(rs.getString(4))));
                }
            } catch (SQLException e) {
                if (isMissingTable(e)) {
                    return List.of(); // JBeret has not created its tables yet: there is no execution
                }
                throw e;
            }
            return result;
        });
    }

    @Override
    public Optional<String> executionStatus(long executionId) {
        return queryOne("SELECT BATCHSTATUS FROM JOB_EXECUTION WHERE JOBEXECUTIONID = ?", rs -> rs.getString(1), executionId);
    }

    @Override
    public boolean markCrashed(long executionId, String exitStatus, Instant now) {
        return update("UPDATE JOB_EXECUTION SET BATCHSTATUS = 'FAILED', EXITSTATUS = ?, ENDTIME = ?, LASTUPDATEDTIME = ? "
                + "WHERE JOBEXECUTIONID = ? AND BATCHSTATUS IN " + UNFINISHED, exitStatus, Timestamp.from(now), Timestamp.from(now), executionId) == 1;
    }

    @Override
    public Optional<LeaseRecord> lease(String key) {
        return queryOne("SELECT SLICE_KEY, VERSION, HELD, JOBEXECUTIONID, JOBINSTANCEID, PROCESS_KEY, STAGE_EPOCH, SINCE "
                + "FROM APPMETRICA_SLICE_LEASE WHERE SLICE_KEY = ?", rs -> new LeaseRecord(rs.getString(1), rs.getLong(2), rs.getBoolean(3),
                rs.getLong(4), rs.getLong(5), rs.getString(6), rs.getString(7), rs.getTimestamp(8).toInstant()), key);
    }

    @Override
    public boolean insertLease(LeaseRecord l) {
        try {
            update("INSERT INTO APPMETRICA_SLICE_LEASE (SLICE_KEY, VERSION, HELD, JOBEXECUTIONID, JOBINSTANCEID, PROCESS_KEY, STAGE_EPOCH, SINCE) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", l.key(), l.version(), l.held(), l.executionId(), l.instanceId(), l.process(),
                    l.stageEpoch(), Timestamp.from(l.since()));
            return true;
        } catch (CoordinationException e) {
            if (e.getCause() instanceof SQLException s && isDuplicateKey(s)) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public boolean replaceLease(long expectedVersion, LeaseRecord l) {
        return update("UPDATE APPMETRICA_SLICE_LEASE SET VERSION = ?, HELD = ?, JOBEXECUTIONID = ?, JOBINSTANCEID = ?, PROCESS_KEY = ?, "
                + "STAGE_EPOCH = ?, SINCE = ? WHERE SLICE_KEY = ? AND VERSION = ?", l.version(), l.held(), l.executionId(), l.instanceId(),
                l.process(), l.stageEpoch(), Timestamp.from(l.since()), l.key(), expectedVersion) == 1;
    }

    /** The owner parameter in JBeret's stored form of job parameters (one key=value a line). */
    static Optional<ProcessIdentity> starter(String jobParameters) {
        Properties p = parameters(jobParameters);
        String owner = p.getProperty(Coordination.OWNER_PARAMETER);
        return owner == null || owner.isBlank() ? Optional.empty() : Optional.of(ProcessIdentity.decode(owner.trim()));
    }

    /** JBeret's stored form of job parameters (one key=value a line), read; empty for none. */
    static Properties parameters(String jobParameters) {
        Properties p = new Properties();
        if (jobParameters == null) {
            return p;
        }
        try {
            p.load(new StringReader(jobParameters));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
        return p;
    }

    // ---------------------------------------------------------------- plumbing

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T withConnection(String what, RepositoryDatabase.Operation<T> op) {
        return database.withConnection(what, op);
    }

    private <T> Optional<T> queryOne(String sql, Row<T> row, Object... args) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = RepositoryDatabase.prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
            }
        });
    }

    private int update(String sql, Object... args) {
        return database.update(sql, args);
    }

    /** UPDATE, or INSERT when there was nothing to update; a concurrent INSERT of the same key turns into the UPDATE. */
    private void upsert(String updateSql, String insertSql, Object... args) {
        if (update(updateSql, args) == 1) {
            return;
        }
        try {
            update(insertSql, args);
        } catch (CoordinationException e) {
            if (!(e.getCause() instanceof SQLException s && isDuplicateKey(s))) {
                throw e;
            }
            update(updateSql, args);
        }
    }

    /**
     * A connection problem (SQLState class 08) or H2 handing its file over to another process: 8000 "lock file
     * recently modified", 90020 "already in use", 90067 "connection broken", 90098 "database closed", 90121 "already
     * closed" (the serving process is shutting down).
     */
    public static boolean isHandover(SQLException e) {
        String state = e.getSQLState();
        return (state != null && state.startsWith("08")) || H2_HANDOVER_ERRORS.contains(e.getErrorCode());
    }

    /** H2's error codes while its file changes hands (see {@link #isHandover}); the standalone driver waits on them too. */
    public static final Set<Integer> H2_HANDOVER_ERRORS = Set.of(8000, 90020, 90067, 90098, 90121);

    private static boolean isDuplicateKey(SQLException e) {
        return RepositoryDatabase.isDuplicateKey(e);
    }

    static boolean isMissingTable(SQLException e) {
        return "42S02".equals(e.getSQLState()) || "42P01".equals(e.getSQLState()) || "42S04".equals(e.getSQLState());
    }

}

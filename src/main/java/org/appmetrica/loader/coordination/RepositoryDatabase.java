package org.appmetrica.loader.coordination;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The product's own tables in the job repository's database (H2 standalone, the batch datasource in WildFly): a fresh
 * connection per statement, the tables made or upgraded on first use ({@link RepositorySchema}), and statements run again while the standalone H2 file
 * changes hands between processes.
 */
public final class RepositoryDatabase {

    /** An operation on one connection; it may run twice (see {@link #withConnection}). */
    @FunctionalInterface
    public interface Operation<T> {
        T run(Connection c) throws SQLException;
    }

    private static final Duration RETRY_FOR = Duration.ofSeconds(60);

    private final JdbcCoordinationStore.ConnectionFactory connections;
    private volatile boolean tablesReady;

    public RepositoryDatabase(JdbcCoordinationStore.ConnectionFactory connections) {
        this.connections = connections;
    }

    private Connection open() throws SQLException {
        Connection c = connections.open();
        if (!tablesReady) {
            try {
                RepositorySchema.upgrade(c);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
            tablesReady = true;
        }
        return c;
    }

    /**
     * Runs one operation on a fresh connection; when the database is changing hands (the standalone H2 file whose
     * serving process just ended) it runs it again on a new connection. Callers pass only operations that may run twice:
     * reads, upserts, version-checked updates.
     */
    public <T> T withConnection(String what, Operation<T> op) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        long pause = 50;
        while (true) {
            try (Connection c = open()) {
                return op.run(c);
            } catch (SQLException e) {
                if (!JdbcCoordinationStore.isHandover(e) || System.nanoTime() > deadline) {
                    throw new CoordinationException("the job repository database failed: " + what + ": " + e.getMessage(), e);
                }
            }
            try {
                Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause)); // jitter: processes must not retry in step
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CoordinationException("interrupted while waiting for the job repository database", e);
            }
            pause = Math.min(1000, pause * 2);
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    /** An UPDATE, INSERT or DELETE; the count of rows it changed. */
    public int update(String sql, Object... args) {
        return withConnection(sql, c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
                return ps.executeUpdate();
            }
        });
    }

    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState()) || "23000".equals(e.getSQLState());
    }
}

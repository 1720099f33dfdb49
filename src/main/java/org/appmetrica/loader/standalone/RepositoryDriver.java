package org.appmetrica.loader.standalone;

import org.appmetrica.loader.config.PrivateFiles;
import org.appmetrica.loader.coordination.JdbcCoordinationStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The standalone job repository's JDBC driver: H2, with patience when a connection is opened. Several loader processes
 * share one H2 file (the first one serves it to the others); when that process is killed, the others take over the
 * file, and for a moment H2 answers "lock file recently modified" or "database may be already in use". A run, a
 * {@code restart} or {@code executions} started in that moment waits for the takeover instead of failing.
 * URLs are {@code jdbc:appmetrica:h2:…} (see {@link StandaloneRuntime#defaultRepositoryUrl}).
 */
public final class RepositoryDriver implements Driver {

    static final String PREFIX = "jdbc:appmetrica:";
    private static final long PATIENCE_MILLIS = 60_000;
    /**
     * H2: file lock trouble (8000 "lock file recently modified", 90020 "already in use"), a broken or closing server
     * link (90121: the serving process is shutting down).
     */
    private static final Set<Integer> TAKEOVER_ERRORS = JdbcCoordinationStore.H2_HANDOVER_ERRORS;
    private static final RepositoryDriver INSTANCE = new RepositoryDriver();

    static {
        try {
            DriverManager.registerDriver(INSTANCE);
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Makes sure the driver is registered. */
    static void register() {
        // the static initialiser does it once
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!acceptsURL(url)) {
            return null;
        }
        String h2 = "jdbc:" + url.substring(PREFIX.length());
        Path database = databaseFile(h2);
        if (database != null) {
            privateFiles(database);
        }
        long deadline = System.currentTimeMillis() + PATIENCE_MILLIS;
        long pause = 50;
        while (true) {
            try {
                Connection c = new org.h2.Driver().connect(h2, info);
                if (database != null) {
                    privateFiles(database); // the lock file, and a database file H2 has just created
                }
                return c;
            } catch (SQLException e) {
                if (!TAKEOVER_ERRORS.contains(e.getErrorCode()) || System.currentTimeMillis() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(pause); // another process is taking the file over: H2 offers no notification
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for the job repository", e);
            }
            pause = Math.min(1000, pause * 2);
        }
    }

    /**
     * H2 creates its files with the process's umask (often 644): the trace file is made 600 before H2 may write to it,
     * and every file of the database is set to 600 after each connection opens (the directory is 700 besides).
     */
    private static void privateFiles(Path database) throws SQLException {
        try {
            if (Files.isDirectory(database.getParent())) {
                PrivateFiles.createIfMissing(database.resolveSibling(database.getFileName() + ".trace.db"));
                PrivateFiles.tighten(database.getParent(), database.getFileName() + ".");
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new SQLException("cannot make the job repository's files private (mode 600) in " + database.getParent() + ": " + e.getMessage(), e);
        }
    }

    /** The database's path without extension for an embedded H2 file URL ({@code jdbc:h2:file:/dir/name;…}); else null. */
    static Path databaseFile(String h2Url) {
        String rest = h2Url.substring("jdbc:h2:".length());
        int semicolon = rest.indexOf(';');
        rest = semicolon < 0 ? rest : rest.substring(0, semicolon);
        rest = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
        if (rest.startsWith("~/")) {
            rest = System.getProperty("user.home") + rest.substring(1);
        }
        if (!rest.startsWith("/")) { // mem:, tcp:, ssl:, other file systems, relative paths
            return null;
        }
        Path p = Path.of(rest);
        return p.getFileName() == null ? null : p;
    }

    @Override
    public boolean acceptsURL(String url) {
        return url != null && url.startsWith(PREFIX + "h2:");
    }

    @Override
    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) {
        return new DriverPropertyInfo[0];
    }

    @Override
    public int getMajorVersion() {
        return 1;
    }

    @Override
    public int getMinorVersion() {
        return 0;
    }

    @Override
    public boolean jdbcCompliant() {
        return false;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }
}

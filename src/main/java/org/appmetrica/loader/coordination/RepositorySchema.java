package org.appmetrica.loader.coordination;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The loader's own tables ({@code APPMETRICA_*}) in the job repository's database, made and upgraded by the versioned
 * scripts {@code db/<vendor>/V<n>__<what>.sql} (vendor {@code h2} or {@code postgresql}). Each applied version is a row
 * of {@code APPMETRICA_SCHEMA_VERSION}; a process applies the versions its database lacks, in order. On PostgreSQL
 * an advisory lock makes processes starting together take turns; the scripts are idempotent anyway.
 */
public final class RepositorySchema {

    /** In order; a new version appends its script here and under both vendors. */
    static final List<String> SCRIPTS = List.of("V1__appmetrica_tables.sql", "V2__restart_claims.sql");
    private static final String VERSION_TABLE = "CREATE TABLE IF NOT EXISTS APPMETRICA_SCHEMA_VERSION (VERSION INTEGER PRIMARY KEY, "
            + "SCRIPT VARCHAR(200) NOT NULL, INSTALLED TIMESTAMP NOT NULL)";
    private static final long LOCK_KEY = 0x4150504d45545249L; // "APPMETRI": this product's advisory lock on PostgreSQL

    private RepositorySchema() {
    }

    /** The latest version the scripts bring. */
    public static int latest() {
        return SCRIPTS.size();
    }

    /** Applies the scripts the database lacks; returns the versions applied now. */
    public static List<Integer> upgrade(Connection c) throws SQLException {
        String vendor = vendor(c);
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // PostgreSQL: the scripts of one version commit whole or not at all
        try {
            try (Statement s = c.createStatement()) {
                if (vendor.equals("postgresql")) {
                    s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                }
                s.execute(VERSION_TABLE);
            }
            c.commit();
            List<Integer> applied = new ArrayList<>();
            for (int version = installed(c) + 1; version <= SCRIPTS.size(); version++) {
                try (Statement s = c.createStatement()) {
                    if (vendor.equals("postgresql")) {
                        s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
                    }
                    if (installed(c) >= version) {
                        c.commit();
                        continue; // another process applied it meanwhile
                    }
                    String script = SCRIPTS.get(version - 1);
                    for (String statement : statements(read("db/" + vendor + "/" + script))) {
                        s.execute(statement);
                    }
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO APPMETRICA_SCHEMA_VERSION (VERSION, SCRIPT, INSTALLED) VALUES (?, ?, ?)")) {
                        ps.setInt(1, version);
                        ps.setString(2, script);
                        ps.setTimestamp(3, Timestamp.from(Instant.now()));
                        ps.executeUpdate();
                    } catch (SQLException e) {
                        if (!RepositoryDatabase.isDuplicateKey(e)) {
                            throw e; // a duplicate: another H2 process ran the same idempotent script at the same moment
                        }
                    }
                }
                c.commit();
                applied.add(version);
            }
            return applied;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(autoCommit);
        }
    }

    /** The highest version recorded, 0 for none. */
    static int installed(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(VERSION) FROM APPMETRICA_SCHEMA_VERSION")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static String vendor(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return "postgresql";
        }
        if (product.contains("h2")) {
            return "h2";
        }
        throw new SQLException("the job repository's database is " + product + ": the loader's tables have scripts for H2 and PostgreSQL only");
    }

    /** The statements of a script: ';' ends one at the end of a line; lines starting with "--" are comments. */
    static List<String> statements(String script) {
        List<String> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(current.length() == 0 ? "" : "\n").append(trimmed);
            if (trimmed.endsWith(";")) {
                current.setLength(current.length() - 1);
                result.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            result.add(current.toString());
        }
        return result;
    }

    private static String read(String resource) {
        try (InputStream in = RepositorySchema.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing class path resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

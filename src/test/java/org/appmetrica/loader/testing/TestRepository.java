package org.appmetrica.loader.testing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The job repository the loader processes of a test use: the H2 file of their data directory by default; with
 * {@code -Drepository.url=jdbc:postgresql://HOST:PORT} (the failsafe execution {@code postgres}, .ci/postgres.sh) a
 * PostgreSQL database of each data directory's own, made fresh the first time this JVM names it, so that tests sharing
 * nothing on H2 share nothing there either.
 */
public final class TestRepository {

    /** The server, without a database; empty: H2. */
    public static final String SERVER = System.getProperty("repository.url", "").strip();
    public static final String USER = System.getProperty("repository.user", "appmetrica");
    public static final String PASSWORD = System.getProperty("repository.password", "appmetrica");
    private static final Set<String> MADE = ConcurrentHashMap.newKeySet();

    private TestRepository() {
    }

    public static boolean postgres() {
        return !SERVER.isEmpty();
    }

    /** {@code --data-dir DIR}, and on PostgreSQL {@code --repository-url} of this data directory's database. */
    public static List<String> options(Path dataDir) {
        List<String> options = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        if (postgres()) {
            options.addAll(List.of("--repository-url", url(dataDir)));
        }
        return options;
    }

    /** The environment the loader needs to sign in to the repository (none for H2: the data directory has the password). */
    public static Map<String, String> env() {
        return postgres() ? Map.of("APPMETRICA_REPOSITORY_USER", USER, "APPMETRICA_REPOSITORY_PASSWORD", PASSWORD) : Map.of();
    }

    /** The PostgreSQL database of a data directory, made on first use in this JVM. */
    public static String url(Path dataDir) {
        String name = name(dataDir);
        if (MADE.add(name)) {
            try (Connection c = DriverManager.getConnection(SERVER + "/postgres", USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); // a left-over of an earlier build
                s.execute("CREATE DATABASE " + name);
            } catch (SQLException e) {
                MADE.remove(name);
                throw new IllegalStateException("cannot make the test repository database " + name + " on " + SERVER + ": " + e.getMessage(), e);
            }
        }
        return SERVER + "/" + name;
    }

    /** The next {@link #url} of this data directory makes its database afresh. */
    public static void forget(Path dataDir) {
        MADE.remove(name(dataDir));
    }

    private static String name(Path dataDir) {
        return "t_" + hash(dataDir.toAbsolutePath().normalize().toString());
    }

    /** A connection to the repository of a data directory, as the loader opens it. */
    public static Connection open(Path dataDir) throws SQLException {
        return DriverManager.getConnection(url(dataDir), USER, PASSWORD);
    }

    private static String hash(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

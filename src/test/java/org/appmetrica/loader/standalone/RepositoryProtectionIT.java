package org.appmetrica.loader.standalone;

import java.util.List;
import java.util.ArrayList;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.admin.ConsoleProcess;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The standalone job repository is served over TCP on 127.0.0.1 while a loader runs: only the data directory's user may
 * get in. Checked through the commands a user types, on a new data directory and on one made by an earlier version.
 */
class RepositoryProtectionIT {

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static void assertLockedWithout(Path dataDir) throws Exception {
        String password = Files.readString(dataDir.resolve(RepositoryPassword.FILE)).strip();
        String url = "jdbc:h2:file:" + dataDir.resolve("job-repository") + ";FILE_LOCK=SOCKET";
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "sa", "").close());
        assertEquals(28000, refused.getErrorCode(), "wrong password: " + refused.getMessage());
        try (Connection c = DriverManager.getConnection(url, "sa", password)) {
            assertTrue(c.createStatement().executeQuery("SELECT COUNT(*) FROM JOB_EXECUTION").next());
        }
    }

    /** {@code java -jar target/appmetrica-loader.jar --data-dir DIR executions}; its output goes beside DIR. */
    private static void executions(Path dataDir) throws Exception {
        Path out = Files.createTempFile(dataDir.getParent(), "executions", ".out");
        List<String> command = new ArrayList<>(LoaderCommand.java("256m"));
        command.addAll(List.of("--data-dir", dataDir.toString(), "executions"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "executions did not end");
        assertEquals(0, p.exitValue(), Files.readString(out));
    }

    @Test
    void aNewDataDirectoryIsTheUsersAlone() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "protect").resolve("data");
        executions(dataDir);
        assertEquals("rwx------", mode(dataDir));
        assertEquals("rw-------", mode(dataDir.resolve(RepositoryPassword.FILE)));
        assertEquals("rw-------", mode(dataDir.resolve("conf/jberet.properties")), "it holds the password");
        assertEveryFileIs600(dataDir);
        assertLockedWithout(dataDir);
    }

    /** Every file the loader left in the data directory, H2's database and trace files too, is 600. */
    private static void assertEveryFileIs600(Path dataDir) throws Exception {
        List<Path> files;
        try (var walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.contains(dataDir.resolve("job-repository.mv.db")), files.toString());
        for (Path f : files) {
            assertEquals("rw-------", mode(f), f.toString());
        }
    }

    @Test
    void aDataDirectoryOfAnEarlierVersionIsProtectedWhenFirstUsed() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "protect-old").resolve("data");
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("job-repository"), "sa", "")) {
            c.createStatement().execute("CREATE TABLE OLD_MARKER (X INT)"); // the old repository, opened with the empty password
        }
        executions(dataDir);
        assertEquals("rwx------", mode(dataDir));
        assertEveryFileIs600(dataDir);
        assertLockedWithout(dataDir);
        String password = Files.readString(dataDir.resolve(RepositoryPassword.FILE)).strip();
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("job-repository"), "sa", password)) {
            assertTrue(c.createStatement().executeQuery("SELECT COUNT(*) FROM OLD_MARKER").next(), "the same database, kept");
        }
    }
}

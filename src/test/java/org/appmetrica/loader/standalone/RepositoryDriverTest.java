package org.appmetrica.loader.standalone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepositoryDriverTest {

    @TempDir
    Path dir;

    /** Every file H2 makes for the repository is 600, whatever the umask (here typically 022). */
    @Test
    void theRepositorysFilesAre600() throws Exception {
        RepositoryDriver.register();
        String url = RepositoryDriver.PREFIX + "h2:file:" + dir.resolve("job-repository") + ";FILE_LOCK=SOCKET";
        try (Connection c = DriverManager.getConnection(url, "sa", "pw")) {
            c.createStatement().execute("CREATE TABLE T (X INT)");
            assertThrows(SQLException.class, () -> c.createStatement().execute("SELECT * FROM NO_SUCH_TABLE"));
            c.createStatement().execute("SET TRACE_LEVEL_FILE 3"); // writes the trace file now
            c.createStatement().execute("INSERT INTO T VALUES (1)");
        }
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                modes.put(f.getFileName().toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
            }
        }
        assertTrue(modes.keySet().containsAll(List.of("job-repository.mv.db", "job-repository.trace.db")), modes.toString());
        assertTrue(Files.size(dir.resolve("job-repository.trace.db")) > 0, "H2 wrote its trace into the private file");
        modes.forEach((name, mode) -> assertEquals("rw-------", mode, name));
    }

    @Test
    void onlyEmbeddedFileUrlsNameAFile() {
        assertEquals(Path.of("/d/job-repository"), RepositoryDriver.databaseFile("jdbc:h2:file:/d/job-repository;AUTO_SERVER=TRUE"));
        assertEquals(Path.of("/d/x"), RepositoryDriver.databaseFile("jdbc:h2:/d/x"));
        assertEquals(null, RepositoryDriver.databaseFile("jdbc:h2:mem:x"));
        assertEquals(null, RepositoryDriver.databaseFile("jdbc:h2:tcp://127.0.0.1/~/x"));
    }
}

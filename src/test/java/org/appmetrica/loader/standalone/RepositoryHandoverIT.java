package org.appmetrica.loader.standalone;

import org.appmetrica.loader.testing.TestRepository;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes that share the standalone job repository come and go (a run ends while another is in its clean-up, a
 * {@code status} runs beside both): each time the process serving the H2 file ends, another takes it over. No
 * statement of the others may fail in that moment, and none may count twice. Found by hand: a second overlapping run
 * failed in its clean-up when the first one's process ended.
 */
class RepositoryHandoverIT {

    private static final int PROCESSES = 10;

    @Test
    void processesComingAndGoingNeverSeeTheRepositoryFail() throws Exception {
        Path dataDir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "handover");
        String database = TestRepository.postgres() ? TestRepository.url(dataDir).substring(TestRepository.SERVER.length() + 1) : "-";
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++) {
            // lifetimes of 1.2 to 2.7 s, a new process every 0.6 s: the serving process changes every few statements
            long lifetime = 1200 + (i * 379L) % 1500;
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Drepository.url=" + TestRepository.SERVER, "-cp", System.getProperty("java.class.path"),
                    RepositoryHandoverChild.class.getName(), dataDir.toString(), Long.toString(lifetime), database)
                    .redirectErrorStream(true).start());
            // the staggered starts are the behaviour under test (processes coming and going), not a gate: the outcome
            // asserted below holds for any overlap, the pause only makes hand-overs mid-statement likely
            Thread.sleep(600);
        }
        long total = 0;
        for (Process p : processes) {
            assertTrue(p.waitFor(3, TimeUnit.MINUTES), "a process did not end");
            String out = new String(p.getInputStream().readAllBytes());
            assertEquals(0, p.exitValue(), "a process failed on the shared repository:\n" + out);
            String last = out.strip().lines().reduce((a, b) -> b).orElse("");
            assertTrue(last.startsWith("incremented "), out);
            total += Long.parseLong(last.substring("incremented ".length()));
        }
        assertTrue(total > 0);
        RepositoryDriver.register();
        try (Connection c = TestRepository.postgres() ? TestRepository.open(dataDir)
                : DriverManager.getConnection(StandaloneRuntime.defaultRepositoryUrl(dataDir), "sa", "");
             ResultSet rs = c.createStatement().executeQuery("SELECT VERSION FROM APPMETRICA_SLICE_LEASE WHERE SLICE_KEY = '"
                     + RepositoryHandoverChild.KEY + "'")) {
            assertTrue(rs.next());
            assertEquals(total, rs.getLong(1), "every counted compare-and-set applied exactly once");
        }
    }
}

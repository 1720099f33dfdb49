package org.appmetrica.loader.security;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red team, issue 23 item 7, the console: {@code GET /api/applications} against a management API that answers without
 * end, or sends its headers and then nothing, answers 502 within its bound; and the console then still obeys TERM
 * (before, a worker thread hung for good and the console ignored TERM).
 */
class HostileConsoleIT {

    @Test
    void theApplicationsListIsBoundedAndTheConsoleThenObeysTerm() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "hostile-console");
        try (HostileApi endless = new HostileApi(HostileApi.Mode.ENDLESS_APPLICATIONS);
             HostileApi silent = new HostileApi(HostileApi.Mode.DRIP)) {
            ConsoleProcess console = ConsoleProcess.start(dir.resolve("data"), ConsoleProcess.usersFile(dir, "operator", "pw-hostile-1"),
                    Map.of("APPMETRICA_TOKEN", "hostile-console-token"), "--allow-api-url", endless.url(), "--allow-api-url", silent.url());
            try {
                String auth = ConsoleProcess.basic("operator", "pw-hostile-1");
                for (HostileApi api : new HostileApi[]{endless, silent}) {
                    ConsoleProcess.Answer a = console.call("GET", "/api/applications?tokenRef=env%3AAPPMETRICA_TOKEN&apiUrl="
                            + URLEncoder.encode(api.url(), StandardCharsets.UTF_8), null, "Authorization", auth);
                    assertEquals(502, a.status(), a.body());
                    assertTrue(a.body().contains(api == endless ? "larger than 8 MB" : "no complete answer within 20 s"), a.body());
                    assertTrue(api.awaitClosedByClient(java.time.Duration.ofSeconds(30)), "the console closed the connection");
                }
                new ProcessBuilder("kill", "-TERM", Long.toString(console.process.pid())).start().waitFor();
                assertTrue(console.process.waitFor(60, TimeUnit.SECONDS), "the console ends on TERM: " + console.text());
            } finally {
                console.close();
            }
        }
    }
}

package org.appmetrica.loader.security;

import org.appmetrica.loader.admin.ConsoleProcess;
import org.appmetrica.loader.admin.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The red team's attacks on the standalone console's login (issue 23, items 1 and 4), each as it was written, against
 * {@code java -jar … console}: a path spelled so that a string check misses it, and floods of logins.
 */
class AuthBypassIT {

    private static final String USER = "red-admin";
    private static final String PASSWORD = "red-pw-5e1c";

    private static ConsoleProcess console(String name) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name);
        return ConsoleProcess.start(dir.resolve("data"), ConsoleProcess.usersFile(dir, USER, PASSWORD), Map.of());
    }

    /** One request as written, from a chosen loopback address; the status code. */
    private static int send(ConsoleProcess console, String from, String method, String target, String body) throws IOException {
        URI base = URI.create(console.baseUrl);
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + base.getPort() + "\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n") + "\r\n";
        try (Socket s = new Socket(InetAddress.getByName(base.getHost()), base.getPort(), InetAddress.getByName(from), 0)) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            InputStream in = s.getInputStream();
            String line = new String(in.readNBytes(12), StandardCharsets.ISO_8859_1);
            return Integer.parseInt(line.substring(9, 12));
        }
    }

    private static String login(String user, String password) {
        return "{\"user\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void noPathSpellingGetsPastTheLogin() throws Exception {
        try (ConsoleProcess console = console("red-bypass")) {
            String load = "{\"parameters\":{\"applicationIds\":\"1\",\"sources\":\"events\",\"dateSince\":\"2024-01-01\",\"dateUntil\":\"2024-01-01\"}}";
            String connection = "{\"name\":\"red\",\"applicationIds\":\"1\",\"sources\":\"events\"}";
            List<String[]> attacks = List.of(
                    new String[] {"GET", "/api;x/executions", null},
                    new String[] {"GET", "/metrics/", null},
                    new String[] {"GET", "/metrics;x", null},
                    new String[] {"POST", "/api;x/executions", load},
                    new String[] {"POST", "/api;x/connections", connection},
                    new String[] {"POST", "/api;x/connections/red/pause", "{}"},
                    new String[] {"DELETE", "/api;x/connections/red?dropData=true", null},
                    new String[] {"POST", "/api;x/secrets/token", "{\"token\":\"y0_red-team-token\",\"name\":\"red\"}"},
                    new String[] {"POST", "/api;x/executions/1/restart", "{}"},
                    new String[] {"POST", "/api;x/executions/1/abandon", "{}"},
                    new String[] {"POST", "/api/executions/", load},
                    new String[] {"GET", "/api/executions;x/", null});
            for (String[] a : attacks) {
                assertEquals(401, send(console, "127.0.0.1", a[0], a[1], a[2]), a[0] + " " + a[1]);
            }
            ConsoleProcess.Answer executions = console.call("GET", "api/executions", null, "Authorization", ConsoleProcess.basic(USER, PASSWORD));
            assertEquals(200, executions.status(), executions.body());
            assertFalse(executions.body().contains("\"id\""), "no load ran: " + executions.body());
            ConsoleProcess.Answer connections = console.call("GET", "api/connections", null, "Authorization", ConsoleProcess.basic(USER, PASSWORD));
            assertFalse(connections.body().contains("\"red\""), "no connection was made: " + connections.body());
            assertFalse(console.text().contains("console: null"), "an audit line named the user null: " + console.text());
        }
    }

    @Test
    void hugeUserNamesFromManyLoopbackAddressesStayBounded() throws Exception {
        try (ConsoleProcess console = console("red-names")) {
            long before = Files.size(console.output);
            String huge = "u".repeat(1_000_000);
            int refused = 0;
            for (int i = 0; i < 150; i++) {
                int status = send(console, "127.0.2." + (i + 1), "POST", "/api/login", login(huge + i, "x"));
                assertTrue(status == 401 || status == 429, "status " + status);
                refused += status == 429 ? 1 : 0;
            }
            // one budget for all of loopback: 5 tries, then one after 1 s, 2 s, 4 s … (a few within the minute this takes)
            assertTrue(refused >= 150 - LoginThrottle.FREE_FAILURES - 8, "every loopback address shares one budget: " + refused + " refused");
            long grown = Files.size(console.output) - before;
            assertTrue(grown < 20_000, "the log grew by " + grown + " bytes");
        }
    }

    @Test
    void sixtyParallelLoginsGetAtMostFiveGuesses() throws Exception {
        try (ConsoleProcess console = console("red-parallel")) {
            ExecutorService pool = Executors.newFixedThreadPool(60);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                String guess = "guess-" + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return send(console, "127.0.0.1", "POST", "/api/login", login(USER, guess));
                }));
            }
            start.countDown();
            int guessed = 0;
            for (Future<Integer> a : answers) {
                int status = a.get(2, TimeUnit.MINUTES);
                assertTrue(status == 401 || status == 429, "status " + status);
                guessed += status == 401 ? 1 : 0; // a 401 is a password that was checked
            }
            pool.shutdown();
            assertTrue(guessed <= LoginThrottle.FREE_FAILURES, guessed + " passwords were checked");
        }
    }
}

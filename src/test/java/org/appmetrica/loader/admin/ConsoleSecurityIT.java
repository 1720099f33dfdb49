package org.appmetrica.loader.admin;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's defences, through {@code java -jar … console} as a user starts it. */
class ConsoleSecurityIT {

    private static final String USER = "sec-admin";
    private static final String PASSWORD = "sec-pw-81d0";

    private static String login(String password) {
        return "{\"user\":\"" + USER + "\",\"password\":\"" + password + "\"}";
    }

    @Test
    void guessingIsSlowedDownBeforeAnyPasswordIsChecked() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-sec");
        try (ConsoleProcess console = ConsoleProcess.start(dir.resolve("data"), ConsoleProcess.usersFile(dir, USER, PASSWORD), Map.of())) {
            ConsoleProcess.Answer ok = console.call("POST", "api/login", login(PASSWORD));
            assertEquals(200, ok.status(), ok.body());
            // on loopback the cookie is not Secure: it would never come back over plain HTTP
            assertFalse(ok.header("Set-Cookie").contains("Secure"), ok.header("Set-Cookie"));
            for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
                assertEquals(401, console.call("POST", "api/login", login("wrong-" + i)).status());
            }
            ConsoleProcess.Answer blocked = console.call("POST", "api/login", login(PASSWORD));
            assertEquals(429, blocked.status(), "even the right password waits: " + blocked.body());
            assertNotNull(blocked.header("Retry-After"));
            assertTrue(blocked.body().contains("too many failed logins"), blocked.body());
            ConsoleProcess.Answer basic = console.call("GET", "api/executions", null, "Authorization", ConsoleProcess.basic(USER, PASSWORD));
            assertEquals(429, basic.status(), "HTTP Basic goes through the same throttle");
        }
    }

    @Test
    void aForeignHostNameIsRefused() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-host");
        try (ConsoleProcess console = ConsoleProcess.start(dir.resolve("data"), ConsoleProcess.usersFile(dir, USER, PASSWORD), Map.of(),
                "--host-name", "loader.example")) {
            assertTrue(statusLine(console, "rebind.evil.example").contains(" 403 "), "DNS rebinding: another site's name");
            assertTrue(statusLine(console, "loader.example:8085").contains(" 401 "), "a configured name reaches the API");
            assertTrue(statusLine(console, "127.0.0.1").contains(" 401 "));
        }
    }

    @Test
    void consoleOffLoopbackSetsASecureCookie() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-bind");
        try (ConsoleProcess console = ConsoleProcess.start(dir.resolve("data"), ConsoleProcess.usersFile(dir, USER, PASSWORD), Map.of(),
                "--bind", "0.0.0.0")) {
            ConsoleProcess.Answer ok = console.call("POST", "api/login", login(PASSWORD));
            assertEquals(200, ok.status(), ok.body());
            assertTrue(ok.header("Set-Cookie").contains("; Secure"), ok.header("Set-Cookie"));
        }
    }

    @Test
    void aUsersFileOthersCanReadIsRefused() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "console-users");
        Path users = ConsoleProcess.usersFile(dir, USER, PASSWORD);
        Files.setPosixFilePermissions(users, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createDirectories(dir.resolve("data"));
        ConsoleProcess.CliResult r = ConsoleProcess.cli(dir.resolve("data"), Map.of(), "console", "--port", "0", "--users", users.toString());
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("other users may read or change it"), r.err());
    }

    /** A request with a Host header of our choosing (Java's HTTP client will not send another one). */
    private static String statusLine(ConsoleProcess console, String host) throws Exception {
        URI base = URI.create(console.baseUrl);
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/executions HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return answer.lines().findFirst().orElse("");
        }
    }
}

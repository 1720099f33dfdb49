package org.appmetrica.loader.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.admin.ConsoleProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Red team, issue 23 items 2, 3, 5 and 6, tried as written against a standalone console: what a console user may set
 * is held to the operator's lists, each secret reference to its role, and no refusal repeats the refused value.
 * (The race-free spool delete is {@code config.SpoolRootTest}; the capped replica answer {@code clickhouse.ReplicaReasonTest}.)
 */
class ParameterAttacksIT {

    private static final String TOKEN = "y0_AgAAAAB-parameter-attacks-token-7f3a";
    private static final String PASSWORD = "console-pw-attacks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path dir;
    private static Path passwordFile;
    private static ConsoleProcess console;
    private static String auth;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "parameter-attacks");
        passwordFile = dir.resolve("clickhouse-password");
        Files.writeString(passwordFile, "clickhouse-secret-for-attacks");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        Path users = ConsoleProcess.usersFile(dir, "operator", PASSWORD);
        console = ConsoleProcess.start(dir.resolve("data"), users, Map.of("APPMETRICA_TOKEN", TOKEN),
                "--allow-clickhouse-password-ref", "file:" + passwordFile);
        auth = ConsoleProcess.basic("operator", PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        if (console != null) {
            console.close();
        }
    }

    private static ConsoleProcess.Answer post(String path, String body) throws Exception {
        return console.call("POST", path, body, "Authorization", auth);
    }

    private static String load(String... extra) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("applicationIds", "701");
        p.put("sources", "events");
        p.put("dateSince", "2024-06-01");
        p.put("dateUntil", "2024-06-01");
        for (int i = 0; i < extra.length; i += 2) {
            p.put(extra[i], extra[i + 1]);
        }
        return JSON.writeValueAsString(Map.of("parameters", p));
    }

    /** The answer is a refusal with this status naming the parameter, and nothing was started. */
    private static String refused(ConsoleProcess.Answer a, int status, String parameter) throws Exception {
        assertEquals(status, a.status(), a.body());
        String message = JSON.readTree(a.body()).get("message").asText();
        assertTrue(message.contains(parameter), message);
        JsonNode executions = JSON.readTree(console.call("GET", "api/executions", null, "Authorization", auth).body());
        assertEquals(0, executions.size(), "nothing was started: " + executions);
        return a.body();
    }

    @Test
    void aSpoolDirTheOperatorDidNotAllowIsRefusedAndTheDirectoryLeftAsItWas() throws Exception {
        Path foreign = Files.createDirectories(dir.resolve("srv-data"));
        Files.createDirectories(foreign.resolve("26"));
        Files.writeString(foreign.resolve("26").resolve("keep"), "data");
        Files.setPosixFilePermissions(foreign, PosixFilePermissions.fromString("rwxr-xr-x"));
        String body = refused(post("api/executions", load("spoolDir", foreign.toString())), 403, "job parameter spoolDir");
        assertFalse(body.contains("srv-data"), "the refused value is not repeated: " + body);
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(foreign)));
        assertEquals("data", Files.readString(foreign.resolve("26").resolve("keep")));
    }

    @Test
    void aClusterPortOffsetNeverSendsThePasswordToAListener() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0)) {
            // test_shard_localhost lists localhost:9000: the offset points its replica at this listener
            int offset = listener.getLocalPort() - 9000;
            refused(post("api/executions", load("clickhouseCluster", "test_shard_localhost", "clickhouseClusterHttpPortOffset",
                    Integer.toString(offset), "clickhousePasswordRef", "file:" + passwordFile)), 403, "job parameter clickhouseCluster");
            refused(post("api/executions", load("clickhouseCluster", "test_shard_localhost")), 403, "job parameter clickhouseCluster");
            listener.setSoTimeout(1); // whatever was sent would be queued already: the refusal came before any start
            try (Socket s = listener.accept()) {
                connections.incrementAndGet();
            } catch (SocketTimeoutException expected) {
                // nothing connected
            }
        }
        assertEquals(0, connections.get(), "the listener received no connection, so no Authorization header");
    }

    @Test
    void aSecretReferenceIsRefusedInTheOtherRole() throws Exception {
        String token = refused(post("api/executions", load("clickhousePasswordRef", "env:APPMETRICA_TOKEN")), 403,
                "job parameter clickhousePasswordRef");
        assertTrue(token.contains("as a Logs API token only"), token);
        String password = refused(post("api/executions", load("tokenRef", "file:" + passwordFile)), 403, "job parameter tokenRef");
        assertFalse(password.contains(passwordFile.toString()), password);
        refused(post("api/executions", load("tokenRef", "env:CLICKHOUSE_PASSWORD")), 403, "job parameter tokenRef");
    }

    @Test
    void aRawTokenInAConnectionIsRefusedWithoutItsValue() throws Exception {
        String tokenRef = "{\"name\": \"raw\", \"applications\": [701], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-06-01\", "
                + "\"regularity\": \"one-time\", \"tokenRef\": \"" + TOKEN + "\"}";
        ConsoleProcess.Answer a = post("api/connections", tokenRef);
        assertEquals(400, a.status(), a.body());
        assertTrue(a.body().contains("tokenRef") && a.body().contains("is not a secret reference"), a.body());
        assertFalse(a.body().contains(TOKEN) || a.body().contains("y0_"), "not echoed: " + a.body());

        String passwordRef = "{\"name\": \"raw2\", \"applications\": [701], \"sources\": {\"events\": {}}, \"loadFrom\": \"2024-06-01\", "
                + "\"regularity\": \"one-time\", \"target\": {\"passwordRef\": \"" + TOKEN + "\"}}";
        ConsoleProcess.Answer b = post("api/connections", passwordRef);
        assertEquals(400, b.status(), b.body());
        assertFalse(b.body().contains(TOKEN) || b.body().contains("y0_"), "not echoed: " + b.body());

        ConsoleProcess.Answer c = post("api/executions", load("tokenRef", "cs:" + TOKEN));
        assertEquals(400, c.status(), c.body());
        assertFalse(c.body().contains(TOKEN), "not echoed: " + c.body());
    }

    @Test
    void theCliDoesNotEchoARawTokenEither() throws Exception {
        ConsoleProcess.CliResult r = ConsoleProcess.cli(Files.createDirectories(dir.resolve("cli-data")), Map.of(), "run", "applicationIds=701", "sources=events",
                "dateSince=2024-06-01", "dateUntil=2024-06-01", "tokenRef=" + TOKEN);
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains("tokenRef is not a secret reference"), r.err());
        assertFalse((r.out() + r.err()).contains(TOKEN), r.err());
    }
}

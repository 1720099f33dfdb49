package org.appmetrica.loader.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.testing.SimulatorAndClickHouse;
import org.appmetrica.loader.testing.TestRepository;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consoles and CLI commands as separate processes on one job repository, for the tests of crashes, leases and hosts:
 * the load they run, the console's REST calls a test makes, and a CLI command running beside them. The global options
 * (data directory, repository, host) are the test's: {@link TestRepository#options} or a host's own.
 */
final class LoaderProcesses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final SimulatorAndClickHouse env;
    private final String token;
    private final String user;
    private final String password;
    private final Path users;

    /** Writes the users file (one user) into {@code dir}. */
    LoaderProcesses(SimulatorAndClickHouse env, Path dir, String token, String user, String password) throws Exception {
        this.env = env;
        this.token = token;
        this.user = user;
        this.password = password;
        this.users = ConsoleProcess.usersFile(dir, user, password);
    }

    /** A load of one application's events, small chunks, one slice at a time, into the test ClickHouse. */
    Map<String, String> load(long application, String database, String since, String until) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("applicationIds", Long.toString(application));
        p.put("sources", "events");
        p.put("dateSince", since);
        p.put("dateUntil", until);
        p.put("apiUrl", env.apiUrl());
        p.put("pollIntervalSeconds", "0");
        p.put("chunkSize", "40");
        p.put("parallelism", "1");
        p.put("clickhouseUrl", TestClickHouse.jdbcUrl());
        p.put("clickhouseDatabase", database);
        return p;
    }

    static Properties properties(Map<String, String> p) {
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    /** The environment of every process: the token, and what the repository needs. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>(TestRepository.env());
        environment.put("APPMETRICA_TOKEN", token);
        return environment;
    }

    /** A console with these global options, allowed to reach the simulator and the test ClickHouse. */
    ConsoleProcess console(List<String> globalOptions, Path dataDir) throws Exception {
        return ConsoleProcess.start(globalOptions, dataDir, users, environment(), "--allow-api-url", env.apiUrl(),
                "--allow-clickhouse", TestClickHouse.jdbcUrl());
    }

    /** A console on the data directory's own repository. */
    ConsoleProcess console(Path dataDir) throws Exception {
        return console(TestRepository.options(dataDir), dataDir);
    }

    JsonNode post(ConsoleProcess console, String path, Object body) throws Exception {
        ConsoleProcess.Answer a = console.call("POST", path, JSON.writeValueAsString(body), "Authorization", ConsoleProcess.basic(user, password));
        assertTrue(a.status() == 200 || a.status() == 201 || a.status() == 202, a.status() + " " + a.body());
        return JSON.readTree(a.body());
    }

    JsonNode get(ConsoleProcess console, String path) throws Exception {
        ConsoleProcess.Answer a = console.call("GET", path, null, "Authorization", ConsoleProcess.basic(user, password));
        assertEquals(200, a.status(), a.body());
        return JSON.readTree(a.body());
    }

    /** Starts a load in the console; its execution id. */
    long start(ConsoleProcess console, Map<String, String> parameters) throws Exception {
        return post(console, "api/executions", Map.of("parameters", parameters)).get("id").asLong();
    }

    /** Waits for an execution's terminal status through the REST API (a state, polled). */
    String awaitEnd(ConsoleProcess console, long id) throws Exception {
        return Await.await(() -> get(console, "api/executions/" + id).get("execution").get("status").asText(),
                status -> !status.equals("STARTING") && !status.equals("STARTED") && !status.equals("STOPPING"), Duration.ofMinutes(3),
                () -> "execution " + id + " did not end: " + console.text());
    }

    /** Waits until the console has printed {@code text}; fails at once if it ended without. */
    static void awaitOutput(ConsoleProcess console, String text, Duration deadline) throws Exception {
        Await.await(() -> {
            String out = console.text();
            if (!out.contains(text) && !console.process.isAlive()) {
                throw new AssertionError("the console ended without printing '" + text + "': " + out);
            }
            return out.contains(text);
        }, deadline, () -> "the console did not print '" + text + "': " + console.text());
    }

    /** A CLI command, started: standard output in {@code output}, standard error beside it (a --json command writes only JSON). */
    Process cli(List<String> globalOptions, Path output, String... args) throws Exception {
        List<String> command = new ArrayList<>(LoaderCommand.java("256m"));
        command.addAll(globalOptions);
        command.addAll(List.of(args));
        Files.createDirectories(output.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errorsOf(output).toFile());
        pb.environment().remove("APPMETRICA_TOKEN");
        pb.environment().putAll(environment());
        return pb.start();
    }

    /** {@code run} with these parameters, as CLI arguments. */
    static String[] run(Map<String, String> parameters) {
        List<String> args = new ArrayList<>(List.of("run"));
        parameters.forEach((k, v) -> args.add(k + "=" + v));
        return args.toArray(String[]::new);
    }

    /** Waits for a CLI command that must succeed; its standard output. */
    static String ran(Process p, Path output) throws Exception {
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the CLI did not end: " + Files.readString(output) + Files.readString(errorsOf(output)));
        String text = Files.readString(output);
        assertEquals(0, p.exitValue(), text + Files.readString(errorsOf(output)));
        return text;
    }

    static Path errorsOf(Path output) {
        return output.resolveSibling(output.getFileName() + ".err");
    }
}

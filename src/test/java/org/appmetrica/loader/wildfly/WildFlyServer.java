package org.appmetrica.loader.wildfly;

import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.TestRepository;
import org.appmetrica.loader.clickhouse.ClickHouseSettings;
import org.appmetrica.loader.clickhouse.TestClickHouse;
import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The test's handle on the WildFly the build unpacked: the management operations an operator uses (start-job,
 * restart-job, read-resource of the deployment's batch-jberet subsystem) over the native management API, and
 * server-config/wildfly/configure.cli run through the server's own jboss-cli.sh, as docs/wildfly.md does.
 */
final class WildFlyServer {

    static final String DEPLOYMENT = "appmetrica-loader.war";
    static final String JOB = "appmetrica-load";

    static final Path JBOSS_HOME = Path.of(required("jboss.home"));
    static final Path PROJECT_DIR = Path.of(required("project.dir"));
    static final int MANAGEMENT_PORT = Integer.parseInt(required("wildfly.management.port"));
    static final int HTTP_PORT = 8080 + Integer.parseInt(required("wildfly.port.offset"));
    /** The job repository's H2 file, as configure.cli names it (AppMetricaBatchDS). */
    static final String REPOSITORY_URL = "jdbc:h2:file:" + JBOSS_HOME.resolve("standalone/data/appmetrica/batch-repository")
            + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    /** An application user of group appmetrica-admin: the console's REST API (WEB-INF/web.xml). */
    static final String CONSOLE_USER = "wildfly-it-admin";
    static final String CONSOLE_PASSWORD = "Wildfly-it-pw-7c3!";
    /** The credential store's password configure.sh is given (in clear; it masks it). */
    static final String STORE_PASSWORD = randomHex();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private WildFlyServer() {
    }

    /** Output and exit code of one run of configure.sh. */
    record CliRun(int exitCode, String output) {
    }

    /** Runs server-config/wildfly/configure.sh (which runs configure.cli) against the running server, as docs/wildfly.md does. */
    static CliRun configure(String token, String clickhouseJdbcUrl) throws IOException, InterruptedException {
        return configure(JBOSS_HOME, MANAGEMENT_PORT, token, clickhouseJdbcUrl);
    }

    /** The same for another copy of the server (its JBOSS_HOME and management port). */
    static CliRun configure(Path jbossHome, int managementPort, String token, String clickhouseJdbcUrl) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of(required("java.io.tmpdir")), "configure-cli", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(PROJECT_DIR.resolve("server-config/wildfly/configure.sh").toString(), "--connect",
                    "--controller=127.0.0.1:" + managementPort)
                    .directory(PROJECT_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("JBOSS_HOME", jbossHome.toString());
            env.remove("JBOSS_BASE_DIR");
            env.put("APPMETRICA_TOKEN", token);
            env.put("CREDENTIAL_STORE_PASSWORD", STORE_PASSWORD);
            env.put("CLICKHOUSE_JDBC_URL", clickhouseJdbcUrl);
            env.put("CLICKHOUSE_JDBC_MODULE_DIR", required("clickhouse.jdbc.module.dir"));
            env.remove("CLICKHOUSE_PASSWORD");
            env.remove("CLICKHOUSE_USER");
            env.put("JAVA_OPTS", "-Xmx256m");
            if (TestRepository.postgres()) { // the failsafe execution wildfly-postgres: AppMetricaBatchDS on PostgreSQL
                env.put("REPOSITORY_URL", TestRepository.url(jbossHome));
                env.put("REPOSITORY_USER", TestRepository.USER);
                env.put("REPOSITORY_PASSWORD", TestRepository.PASSWORD);
                env.put("POSTGRESQL_JDBC_MODULE_DIR", required("postgresql.jdbc.module.dir"));
            }
            Process process = pb.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("configure.sh did not finish within 3 minutes:\n" + Files.readString(log));
            }
            return new CliRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /**
     * Takes the stopped server back to its first configuration, so that each test class starts from the server the build
     * unpacked whatever ran before it: standalone.xml as it was at the first boot, no data (job repository, credential
     * store, deployments), no configuration history. The log is kept (see {@link #logSize()}). Modules added by
     * configure.cli stay; the script leaves an installed module alone.
     */
    static void resetToFirstConfiguration() throws IOException {
        resetToFirstConfiguration(JBOSS_HOME);
    }

    /** The same for another copy of the server (its JBOSS_HOME). */
    static void resetToFirstConfiguration(Path jbossHome) throws IOException {
        Path configuration = jbossHome.resolve("standalone/configuration");
        Path initial = configuration.resolve("standalone_xml_history/standalone.initial.xml");
        if (Files.exists(initial)) {
            Files.copy(initial, configuration.resolve("standalone.xml"), StandardCopyOption.REPLACE_EXISTING);
        }
        TestRepository.forget(jbossHome); // on PostgreSQL the next configure() starts from an empty database too
        for (Path dir : List.of(jbossHome.resolve("standalone/data"), jbossHome.resolve("standalone/tmp"),
                configuration.resolve("standalone_xml_history"))) {
            deleteTree(dir);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** docs/console.md's console user: add-user.sh -a -u USER -g appmetrica-admin (once; the users file survives a reset). */
    static void addConsoleUser() throws IOException, InterruptedException {
        Path users = JBOSS_HOME.resolve("standalone/configuration/application-users.properties");
        if (Files.readAllLines(users).stream().anyMatch(l -> l.startsWith(CONSOLE_USER + "="))) {
            return;
        }
        addConsoleUser(JBOSS_HOME, CONSOLE_USER, CONSOLE_PASSWORD);
    }

    /** add-user.sh -a -u USER -p PASSWORD -g appmetrica-admin on the server of that JBOSS_HOME. */
    static void addConsoleUser(Path jbossHome, String user, String password) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(jbossHome.resolve("bin/add-user.sh").toString(), "-a", "-u", user,
                "-p", password, "-g", "appmetrica-admin", "-sc", jbossHome.resolve("standalone/configuration").toString())
                .redirectErrorStream(true);
        pb.environment().put("JBOSS_HOME", jbossHome.toString());
        pb.environment().put("JAVA_OPTS", "-Xmx128m");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("add-user.sh failed: " + out);
        }
    }

    /** GET on the console's REST API (BASIC login of the console user); the JSON answer, which must be 200. */
    static JsonNode consoleGet(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + HTTP_PORT + "/appmetrica-loader/api/" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((CONSOLE_USER + ":" + CONSOLE_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8)))
                .GET().build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET api/" + path + ": " + r.statusCode() + " " + r.body() + "\n" + logTail());
        }
        return JSON.readTree(r.body());
    }

    /**
     * The pid of the server's JVM, as the server itself reports it (platform MBean), checked against the operating system:
     * a live java process whose command line names this JBOSS_HOME. Never another engineer's process.
     */
    static long serverPid() throws IOException {
        long pid = execute(Operations.createReadAttributeOperation(
                Operations.createAddress("core-service", "platform-mbean", "type", "runtime"), "pid")).asLong();
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        String commandLine = String.join(" ", process.info().arguments().map(List::of).orElse(List.of()));
        if (!process.info().command().orElse("").endsWith("java") || !commandLine.contains("-Djboss.home.dir=" + JBOSS_HOME)) {
            throw new IllegalStateException("process " + pid + " is not the server of " + JBOSS_HOME + ": " + commandLine);
        }
        return pid;
    }

    /** kill -9 (SIGKILL) of the server's JVM, as a user would do it; returns once the process is gone. */
    static void killServer(long pid) throws IOException, InterruptedException {
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
        Process kill = new ProcessBuilder("kill", "-KILL", Long.toString(pid)).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill -KILL " + pid + " failed");
        }
        try {
            process.onExit().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the server " + pid + " did not die", e);
        }
    }

    /** Work on the job repository database itself. */
    interface RepositoryWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Opens the job repository's H2 file directly, with the server's own H2 driver (a class loader of its own, not the
     * test class path's newer H2), while the server is down, and closes it again before the server may start.
     */
    static <T> T withStoppedServersRepository(RepositoryWork<T> work) throws Exception {
        if (TestRepository.postgres()) {
            try (Connection c = TestRepository.open(JBOSS_HOME)) {
                return work.run(c);
            }
        }
        Path h2 = JBOSS_HOME.resolve("modules/system/layers/base/com/h2database/h2/main");
        Path jar;
        try (Stream<Path> jars = Files.list(h2)) {
            jar = jars.filter(f -> f.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            Driver driver = (Driver) Class.forName("org.h2.Driver", true, loader).getDeclaredConstructor().newInstance();
            Properties credentials = new Properties();
            credentials.setProperty("user", "sa");
            credentials.setProperty("password", "sa");
            try (Connection c = driver.connect(REPOSITORY_URL, credentials)) {
                return work.run(c);
            }
        }
    }

    /** The size of server.log now: {@link #logSince(long)} reads what the server logged after. */
    static long logSize() throws IOException {
        return Files.exists(serverLog()) ? Files.size(serverLog()) : 0;
    }

    /** What server.log holds after the given size (the whole log if it was rotated or cleared since). */
    static String logSince(long size) throws IOException {
        byte[] all = Files.readAllBytes(serverLog());
        int from = size <= all.length ? (int) size : 0;
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    static ModelNode execute(ModelNode operation) throws IOException {
        try (ModelControllerClient client = ModelControllerClient.Factory.create("remote+http", "127.0.0.1", MANAGEMENT_PORT)) {
            ModelNode result = client.execute(operation);
            if (!Operations.isSuccessfulOutcome(result)) {
                throw new IllegalStateException(operation.get("operation").asString() + " failed: "
                        + Operations.getFailureDescription(result).asString());
            }
            return Operations.readResult(result);
        }
    }

    static ModelNode subsystem() {
        return Operations.createAddress("deployment", DEPLOYMENT, "subsystem", "batch-jberet");
    }

    static ModelNode execution(long id) {
        return Operations.createAddress("deployment", DEPLOYMENT, "subsystem", "batch-jberet", "job", JOB, "execution", Long.toString(id));
    }

    /** :start-job on the deployment, as an operator would; returns the execution id. */
    static long startJob(Properties parameters) throws IOException {
        ModelNode op = Operations.createOperation("start-job", subsystem());
        op.get("job-xml-name").set(JOB);
        parameters.stringPropertyNames().forEach(k -> op.get("properties").get(k).set(parameters.getProperty(k)));
        return execute(op).asLong();
    }

    /** :restart-job through the server's JobOperator; returns the new execution id. */
    static long restartJob(long executionId) throws IOException {
        ModelNode op = Operations.createOperation("restart-job", subsystem());
        op.get("execution-id").set(executionId);
        return execute(op).asLong();
    }

    static String attribute(long executionId, String name) throws IOException {
        return execute(Operations.createReadAttributeOperation(execution(executionId), name)).asString();
    }

    /**
     * Waits until the management model lists the execution. WildFly lists a job's executions from a cache that it
     * refreshes at most every 3 s (BatchJobExecutionResource.refreshChildren): until then an execution started since the
     * last refresh is missing from a recursive read-resource and "not found" to its own read-resource, while
     * read-attribute on it answers at once. The listing is the signal; the deadline only turns a bug into a failure.
     */
    static void awaitListed(long executionId) throws IOException, InterruptedException {
        ModelNode op = Operations.createOperation("read-children-names", Operations.createAddress("deployment", DEPLOYMENT,
                "subsystem", "batch-jberet", "job", JOB));
        op.get("child-type").set("execution");
        awaitState(() -> execute(op).asList().stream().map(ModelNode::asString).toList(), listed -> listed.contains(Long.toString(executionId)),
                Duration.ofSeconds(60), () -> "execution " + executionId + " is not listed by the management model");
    }

    /** {@link Await#await} for the callers here that declare IOException and InterruptedException only. */
    private static <T> T awaitState(Await.Probe<T> probe, java.util.function.Predicate<? super T> done, Duration deadline,
                                    Await.Description description) throws IOException, InterruptedException {
        try {
            return Await.await(probe, done, deadline, description);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** read-resource(include-runtime=true) of one execution, as jboss-cli shows it, once the model lists it. */
    static ModelNode executionResource(long executionId) throws IOException, InterruptedException {
        awaitListed(executionId);
        ModelNode op = Operations.createReadResourceOperation(execution(executionId));
        op.get("include-runtime").set(true);
        return execute(op);
    }

    /** read-resource(include-runtime=true, recursive=true) of the deployment's batch-jberet subsystem: what docs/wildfly.md shows. */
    static ModelNode batchRuntime() throws IOException {
        ModelNode op = Operations.createReadResourceOperation(subsystem(), true);
        op.get("include-runtime").set(true);
        return execute(op);
    }

    static String serverState() throws IOException {
        return execute(Operations.createReadAttributeOperation(new ModelNode().setEmptyList(), "server-state")).asString();
    }

    /** Waits until the execution has ended and returns its batch status. */
    static String awaitEnd(long executionId, long timeoutSeconds) throws IOException, InterruptedException {
        return awaitState(() -> attribute(executionId, "batch-status"), status -> List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status),
                Duration.ofSeconds(timeoutSeconds), () -> "execution " + executionId + " did not end\n" + logTail());
    }

    /** The test's ClickHouse as a JDBC URL without a database: jdbc:clickhouse://host:port. */
    static String clickhouseJdbcUrl() {
        return "jdbc:clickhouse://" + ClickHouseSettings.endpointFromUrl(TestClickHouse.URL).substring("http://".length());
    }

    /**
     * The parameters every load of the WildFly ITs has: the token from the credential store configure.cli fills, the
     * ClickHouse connection of the datasource ClickHouseDS, no waiting between polls or retries. The test adds what
     * it loads (applicationIds, sources, days) and how.
     */
    static Properties loadParameters(String apiUrl, String database, Path spoolDir) {
        Properties p = new Properties();
        p.setProperty("apiUrl", apiUrl);
        p.setProperty("tokenRef", "cs:appmetrica/appmetrica-token");
        p.setProperty("clickhouseDataSource", "java:jboss/datasources/ClickHouseDS");
        p.setProperty("clickhouseDatabase", database);
        p.setProperty("pollIntervalSeconds", "0");
        p.setProperty("retryBackoffSeconds", "0");
        p.setProperty("spoolDir", spoolDir.toString());
        return p;
    }

    /** The execution's exit status and the server log's tail, for failure messages. */
    static String describe(long executionId) {
        try {
            return "exit status: " + attribute(executionId, "exit-status") + "\n" + logTail();
        } catch (Exception e) {
            return "exit status unavailable: " + e + "\n" + logTail();
        }
    }

    static Path serverLog() {
        return JBOSS_HOME.resolve("standalone/log/server.log");
    }

    /** The last lines of the server log, for failure messages. */
    static String logTail() {
        return logTail(JBOSS_HOME);
    }

    /** The same for another copy of the server (its JBOSS_HOME). */
    static String logTail(Path jbossHome) {
        try {
            List<String> lines = Files.readAllLines(jbossHome.resolve("standalone/log/server.log"), StandardCharsets.UTF_8);
            return "--- server.log (tail) ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no server log: " + e + ")";
        }
    }

    private static String randomHex() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set: run the WildFly ITs through mvn verify");
        }
        return value;
    }
}

package org.appmetrica.loader.wildfly;

import org.jboss.as.controller.client.ModelControllerClient;
import org.jboss.as.controller.client.helpers.Operations;
import org.jboss.dmr.ModelNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The test's handle on the WildFly the build unpacked: the management operations an operator uses (start-job,
 * restart-job, read-resource of the deployment's batch-jberet subsystem) over the native management API, and
 * server-config/wildfly/configure.cli run through the server's own jboss-cli.sh, as the README does.
 */
final class WildFlyServer {

    static final String DEPLOYMENT = "appmetrica-loader.war";
    static final String JOB = "appmetrica-load";

    static final Path JBOSS_HOME = Path.of(required("jboss.home"));
    static final Path PROJECT_DIR = Path.of(required("project.dir"));
    static final int MANAGEMENT_PORT = Integer.parseInt(required("wildfly.management.port"));
    private static final String STORE_PASSWORD = randomHex();

    private WildFlyServer() {
    }

    /** Output and exit code of one run of configure.cli. */
    record CliRun(int exitCode, String output) {
    }

    /** Runs server-config/wildfly/configure.cli against the running server, with its inputs in the environment. */
    static CliRun configure(String token, String clickhouseJdbcUrl) throws IOException, InterruptedException {
        Path log = Files.createTempFile(Path.of(required("java.io.tmpdir")), "configure-cli", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder(JBOSS_HOME.resolve("bin/jboss-cli.sh").toString(), "--connect",
                    "--controller=127.0.0.1:" + MANAGEMENT_PORT, "--file=" + PROJECT_DIR.resolve("server-config/wildfly/configure.cli"))
                    .directory(PROJECT_DIR.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("APPMETRICA_TOKEN", token);
            env.put("CREDENTIAL_STORE_PASSWORD", STORE_PASSWORD);
            env.put("CLICKHOUSE_JDBC_URL", clickhouseJdbcUrl);
            env.put("CLICKHOUSE_JDBC_MODULE_DIR", required("clickhouse.jdbc.module.dir"));
            env.remove("CLICKHOUSE_PASSWORD");
            env.remove("CLICKHOUSE_USER");
            env.put("JAVA_OPTS", "-Xmx256m");
            Process process = pb.start();
            if (!process.waitFor(3, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("configure.cli did not finish within 3 minutes:\n" + Files.readString(log));
            }
            return new CliRun(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
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

    /** read-resource(include-runtime=true, recursive=true) of the deployment's batch-jberet subsystem: what the README shows. */
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            String status = attribute(executionId, "batch-status");
            if (List.of("COMPLETED", "FAILED", "STOPPED", "ABANDONED").contains(status)) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("execution " + executionId + " still " + status + " after " + timeoutSeconds + " s\n" + logTail());
            }
            Thread.sleep(200);
        }
    }

    static Path serverLog() {
        return JBOSS_HOME.resolve("standalone/log/server.log");
    }

    /** The last lines of the server log, for failure messages. */
    static String logTail() {
        try {
            List<String> lines = Files.readAllLines(serverLog(), StandardCharsets.UTF_8);
            return "--- server.log (tail) ---\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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

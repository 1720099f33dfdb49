package org.appmetrica.loader.standalone;

import org.appmetrica.loader.testing.Await;
import org.appmetrica.loader.testing.LoaderCommand;
import org.appmetrica.loader.testing.TestRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar target/appmetrica-loader.jar …} as a separate process, as a user would. */
final class CliProcess {


    final Process process;
    final Path output;

    private CliProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static CliProcess start(Path dataDir, Map<String, String> env, String... args) throws IOException {
        // SIGINT as a terminal has it: a command started in the background by a non-interactive shell (CI, scripts) has
        // it ignored, and a JVM that starts with SIGINT ignored installs no handler for it, so Ctrl-C would never arrive.
        List<String> command = new ArrayList<>(List.of("env", "--default-signal=INT"));
        command.addAll(LoaderCommand.java("256m"));
        command.addAll(TestRepository.options(dataDir));
        command.addAll(List.of(args));
        Files.createDirectories(dataDir);
        Path output = Files.createTempFile(dataDir, "cli", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().remove("APPMETRICA_TOKEN");
        pb.environment().putAll(TestRepository.env());
        pb.environment().putAll(env);
        return new CliProcess(pb.start(), output);
    }

    static Result run(Path dataDir, Map<String, String> env, String... args) throws Exception {
        CliProcess p = start(dataDir, env, args);
        return p.await();
    }

    Result await() throws Exception {
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not end within 5 minutes: " + text());
        }
        return new Result(process.exitValue(), text());
    }

    String text() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    /** The output so far, for failure messages. */
    String textSoFar() {
        try {
            return "CLI output so far:\n" + text();
        } catch (IOException e) {
            return "CLI output unreadable: " + e;
        }
    }

    /**
     * Waits until the output contains {@code text}, a line the CLI prints at a known point; fails at once if the process
     * ended without printing it, and after {@code timeout} (a safety net).
     */
    void awaitOutput(String text, Duration timeout) throws Exception {
        // a short pause: the line marks a moment the test acts in (a stop mid-load)
        Await.await(() -> {
            boolean alive = process.isAlive();
            boolean printed = text().contains(text);
            if (!printed && !alive && !text().contains(text)) {
                throw new AssertionError("the CLI ended (exit " + process.exitValue() + ") without printing '" + text + "'; " + textSoFar());
            }
            return printed;
        }, printed -> printed, timeout, Duration.ofMillis(10),
                () -> "the CLI did not print '" + text + "'; " + textSoFar() + "\nits threads:\n" + threadDump());
    }

    /** The execution id the CLI printed first (await its line before). */
    long executionId() throws IOException {
        return new Result(0, text()).executionId();
    }

    /** The CLI's threads (jstack), for a failure message: where it waits when it should not. */
    String threadDump() {
        try {
            Process jstack = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstack").toString(),
                    Long.toString(process.pid())).redirectErrorStream(true).start();
            String dump = new String(jstack.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            jstack.waitFor(1, TimeUnit.MINUTES);
            return dump;
        } catch (IOException | InterruptedException e) {
            return "no thread dump: " + e;
        }
    }

    /** Ctrl-C. */
    void interrupt() throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
    }

    record Result(int exitCode, String output) {
        long executionId() {
            String first = output.lines().filter(l -> l.startsWith("execution id: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no execution id in: " + output));
            return Long.parseLong(first.substring("execution id: ".length()).trim());
        }
    }
}
